// Curated public surface of @spec-kitty/core. Importing it has no side effects.

export {
  CAPABILITY_FLAGS,
  type CapabilityFlag,
  capabilities,
  capabilitiesAsRecord,
  DEFAULT_CAPABILITIES,
  type TrackerCapabilities,
} from './capabilities';
export { createLocalExecutionContext, type LocalExecutionContext } from './context';
export type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from './discovery/discovery-types';
// ---- Hosted discovery (issue #4; the HTTP client itself is on `@spec-kitty/core/http`) ----
export {
  connectorParamsToHostedParams,
  createDiscoveryHttpClient,
  type DiscoveryOptions,
  discoverResources,
  discoverWorkspaces,
  validateResource,
  validateResourceResult,
  validateWorkspace,
  validateWorkspaceResult,
} from './discovery/index';
export {
  CapabilityNotSupportedError,
  ConcurrentModificationError,
  ConnectorConfigError,
  type ConnectorConfigIssue,
  ConnectorRequestError,
  type ConnectorRequestErrorOptions,
  ConnectorTimeoutError,
  DecisionReferenceContractError,
  DiscoveryContractError,
  HostedAuthRequiredError,
  IssueNotFoundError,
  IssuePayloadContractError,
  isStatusTransitionRefusal,
  ModelValidationError,
  RateLimitedError,
  type RateLimitedErrorOptions,
  ScopeViolationError,
  SpecKittyTrackerError,
  STATUS_TRANSITION_CAPABILITY,
  SyncConflictError,
  TrackerContractError,
  type TrackerContractErrorOptions,
} from './errors/errors';
export { classifyHttpStatus, FailureClass, isRetryableFailureClass } from './errors/failure-class';
// ---- Hosted (Nango) transport and hosted connector factory (issue #4) ----
export {
  assertHostedProvider,
  createHostedConnector,
  createNangoConnectionContext,
  createNangoProxyFetch,
  DEFAULT_NANGO_BASE_URL,
  type HostedConnectorRequest,
  type HostedProviderSlug,
  NANGO_MANAGED_TOKEN,
  type NangoConnectionContext,
  type NangoConnectionContextInit,
  type NangoProxyFetchOptions,
} from './hosted/index';
export {
  ALL_KNOWN_PROVIDERS,
  HOSTED_PROVIDERS,
  isHostedProvider,
  isLocalProvider,
  LOCAL_PROVIDERS,
  type ProviderModeOptions,
  providerMode,
  TrackerMode,
} from './mode';
export {
  CanonicalIssueType,
  CanonicalStatus,
  isCanonicalIssueType,
  isCanonicalStatus,
  isLinkType,
  LinkType,
  TERMINAL_STATUSES,
  TrackerEventType,
} from './model/enums';
export {
  createRef,
  type ExternalRef,
  type ExternalRefInit,
  refIdentity,
  refsEqual,
} from './model/external-ref';
export {
  type CanonicalIssue,
  type CanonicalIssueInit,
  CORE_ISSUE_FIELDS,
  type CoreIssueField,
  cloneIssue,
  coreFieldEqual,
  createIssue,
  issueContentEqual,
  issuesEqual,
} from './model/issue';
export {
  type CanonicalIssueJSON,
  type ExternalRefJSON,
  type IssueFromJSONOptions,
  issueFromJSON,
  issueToJSON,
  refFromJSON,
  refToJSON,
} from './model/issue-json';
export { type CanonicalLink, createLink } from './model/link';
export { createCheckpoint, type Page, type SyncCheckpoint, type TrackerEvent } from './model/page';
export {
  createTombstone,
  type IssueTombstone,
  type IssueTombstoneInit,
  isTombstoneReason,
  type TombstoneReason,
} from './model/tombstone';
export {
  type ConflictRecord,
  type ConflictResolution,
  ConflictStrategy,
  type FieldResolution,
  type ResolveFieldInput,
  resolveField,
} from './policy/conflicts';
export {
  externalCanWrite,
  FieldOwner,
  localCanWrite,
  OwnershipMode,
  OwnershipPolicy,
  ownerFor,
} from './policy/ownership-policy';
export type { CommandRunner, CommandRunOptions } from './protocol/command-runner';
export type {
  EventsPage,
  IssuePatch,
  ListEventsQuery,
  ListIssuesQuery,
  TrackerConnector,
  WriteOptions,
} from './protocol/connector';
export {
  type AnyConnectorDefinition,
  CONNECTOR_PROTOCOL_VERSION,
  type ConnectorCliBinding,
  type ConnectorConfigInput,
  type ConnectorDefinition,
  type ConnectorHostedDefinition,
  type ConnectorId,
  type ConnectorMode,
  type ConnectorPreflightContext,
  type ConnectorPreflightResult,
  type ConnectorRuntime,
  type ConnectorTypes,
  type DiscoveryContext,
  type KnownConnectorId,
} from './protocol/connector-definition';
export { defineConnector } from './protocol/define-connector';
export type {
  HttpClient,
  HttpMethod,
  HttpRequestOptions,
  HttpResponse,
  QueryValue,
} from './protocol/http-client';
export { consoleLogger, type Logger, silentLogger } from './protocol/logger';
export { rejectUnknownPatchKeys } from './protocol/patch-contract';
export { ConnectorInstanceRegistry } from './registry/connector-registry';
export { KNOWN_CONNECTOR_PACKAGES } from './registry/known-connectors';
export { parseConnectorConfig } from './registry/parse-connector-config';
export {
  type ConnectorRegistry,
  createConnector,
  createConnectorRegistry,
  getConnectorDefinition,
  listConnectorDefinitions,
  type PluginRegistry,
  type RegisterOptions,
  registerConnector,
  validateConnectorConfig,
} from './registry/plugin-registry';
export { InMemoryIssueStore } from './store/in-memory-issue-store';
export { InMemoryWebhookInbox } from './store/in-memory-webhook-inbox';
export {
  type BatchingIssueStore,
  type CheckpointStore,
  type IssueStore,
  type PrefetchingIssueStore,
  type SyncBaseStore,
  supportsBatching,
  supportsCheckpoints,
  supportsPrefetch,
  supportsSyncBase,
  supportsTombstones,
  type TombstoneQuery,
  type TombstoneRecord,
  type TombstoneStore,
} from './store/issue-store';
export {
  assertConflictTakesDecision,
  type ConflictDecision,
  type ConflictDecisionState,
  ConflictResolutionError,
  type ConflictResolutionFailure,
  decidedValue,
  type StoredConflict,
  type StoredConflictResolution,
} from './store/stored-conflict';
export {
  type EnqueueDeliveryResult,
  type InboxDelivery,
  type InboxDeliveryInit,
  type InboxStats,
  supportsWebhookInbox,
  type WebhookInbox,
} from './store/webhook-inbox';
// ---- Sync engine and mission bridge (branch `engine`): curated list in sync/public-api.ts ----
export * from './sync/public-api';
export type { JsonObject, JsonValue } from './util/json-value';
export { compareCodePoints } from './util/python-text';
export { PACKAGE_NAME, VERSION } from './version';
// ---- Webhooks (issue #19): the contract a definition's `webhooks` implements (helpers: `/webhooks`) ----
export {
  WebhookPayloadError,
  WebhookVerificationError,
  type WebhookVerificationFailure,
} from './webhooks/webhook-errors';
export type {
  ConnectorWebhooks,
  WebhookDelivery,
  WebhookHeaders,
  WebhookParseOptions,
  WebhookRequest,
  WebhookVerifyOptions,
} from './webhooks/webhook-types';
