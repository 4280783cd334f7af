export {
  type ConformanceCheck,
  type ConnectorConformanceOptions,
  type ConnectorUnderTest,
  runConnectorConformance,
} from './connector-conformance';
export { type DraftIssueInit, draftIssue } from './draft-issue';
export {
  type CallRecord,
  closeCheckingViolations,
  type FakeRequest,
  type FakeResponse,
  FakeServer,
  FakeServerError,
  type FakeServerOptions,
  type Fault,
  type FaultRule,
  type RequestValidator,
  type ResponseValidator,
  type RouteDefinition,
  type RouteHandler,
  startFakeServer,
  type TrackedFake,
  withFakeServer,
} from './fake-server';
export {
  type IssueStoreConformanceOptions,
  type IssueStoreUnderTest,
  runIssueStoreConformance,
} from './issue-store-conformance';
export { MissingTombstoneHookError } from './missing-tombstone-hook-error';
export type { TombstoneHooks } from './tombstone-conformance';
export { useFakeServers } from './use-fake-servers';
export {
  runWebhookInboxConformance,
  type WebhookInboxFactory,
  type WebhookInboxUnderTest,
} from './webhook-inbox-conformance';
