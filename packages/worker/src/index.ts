// Curated public surface of @spec-kitty/worker. Importing it has no side effects.
export type { Binding, BindingInit, BindingStatus, BindingSyncOptions } from './binding';
export { BindingRegistry } from './binding-registry';
export {
  type ConnectorFactory,
  probeRateLimits,
  type RateLimitProbe,
  registryConnectorFactory,
} from './connector-factory';
export {
  type Credential,
  type CredentialResolver,
  credentialEnvName,
  envCredentialResolver,
} from './credentials';
export type { RunOutcome } from './run-binding';
export {
  DEAD_LETTER_QUEUE,
  type JobReason,
  SYNC_QUEUE,
  SyncWorker,
  type SyncWorkerOptions,
  type WorkerEvent,
} from './sync-worker';
export { VERSION } from './version';
export {
  BindingNotFoundError,
  BindingValidationError,
  CredentialNotFoundError,
  WorkerError,
} from './worker-errors';
export { WORKER_COMPONENT, WORKER_MIGRATIONS } from './worker-migrations';
