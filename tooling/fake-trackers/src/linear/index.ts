export { estimateComplexity, LINEAR_MAX_COMPLEXITY } from './linear-complexity';
export { connection, LINEAR_MAX_PAGE_SIZE } from './linear-connection';
export {
  LINEAR_ENDPOINT,
  LinearFake,
  type LinearFakeOptions,
  type OperationInfo,
  type RateLimitOptions,
} from './linear-fake';
export { FakeGapError, LinearInputError } from './linear-filters';
export {
  type LinearSchemaSource,
  linearSchemaPath,
  linearSchemaSource,
  loadLinearSchema,
} from './linear-schema';
export { linearSdkTypingsPath, reconstructLinearSdl } from './linear-schema-reconstruct';
export {
  type FakeComment,
  type FakeIssue,
  type FakeLabel,
  type FakeOrganization,
  type FakeRelation,
  type FakeTeam,
  type FakeUser,
  type FakeWorkflowState,
  LinearFakeState,
  type LinearFakeStateOptions,
  type WorkflowStateType,
} from './linear-state';
