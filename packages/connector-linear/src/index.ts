// Importing this module registers the "linear" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import { type LinearConnectorConfigInput, linearConnectorDefinition } from './linear-definition';

registerConnector(linearConnectorDefinition);

export {
  DEFAULT_OVERLAP_MS,
  LINEAR_GRAPHQL_URL,
  LinearConnector,
  type LinearConnectorConfig,
  type LinearConnectorOptions,
} from './linear-connector';
export {
  type LinearConnectorConfigInput,
  type LinearHostedParams,
  type LinearHostedParamsInput,
  linearConfigSchema,
  linearConnectorDefinition,
  linearHostedParamsSchema,
  linearHostedParamsToConfig,
  linearParamsFromConnectorParams,
} from './linear-definition';
export { discoverLinearResources, discoverLinearWorkspaces } from './linear-discovery';
export {
  canonicalPriorityToLinear,
  linearPriorityToCanonical,
  projectLinearIssue,
  stateToStatus,
} from './linear-mapping';
export { STATUS_STATE_TYPE } from './linear-status';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    linear: LinearConnectorConfigInput;
  }
}
