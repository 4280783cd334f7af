import type { JsonValue, OwnershipPolicy } from '@spec-kitty/core';

/** What a run passes to `SyncEngine.sync()` (and which phases it runs). */
export interface BindingSyncOptions {
  /** Page size (default 100). */
  readonly limit?: number;
  /** `sync` (default), `pull` or `push`. */
  readonly operation?: 'sync' | 'pull' | 'push';
  readonly filters?: Readonly<Record<string, JsonValue>>;
}

/** A binding as registered: one tracker scope kept in sync on a schedule. */
export interface BindingInit {
  /** Stable id, also the store scope of its issues (e.g. `team-42/github:octo/hello`). */
  readonly id: string;
  /** Connector id (`github`, `jira`, `memory`, …); also the key of the per-provider concurrency cap. */
  readonly provider: string;
  /** Connector config without secrets (owner, repo, base URL, …). */
  readonly config?: Readonly<Record<string, JsonValue>>;
  /** Name of the credential the worker resolves (never the secret itself). */
  readonly credentialRef?: string | null;
  /** Ownership policy (default: external authoritative). */
  readonly policy?: OwnershipPolicy;
  /** Run every this many seconds (default 900). */
  readonly intervalSeconds?: number;
  readonly syncOptions?: BindingSyncOptions;
  readonly enabled?: boolean;
}

export type BindingStatus = 'active' | 'dead_letter';

export interface Binding {
  readonly id: string;
  readonly provider: string;
  readonly config: Readonly<Record<string, JsonValue>>;
  readonly credentialRef: string | null;
  readonly policy: OwnershipPolicy;
  readonly intervalSeconds: number;
  readonly syncOptions: BindingSyncOptions;
  readonly enabled: boolean;
  /** `dead_letter` after `maxAttempts` failures in a row; `resetBinding` re-activates it. */
  readonly status: BindingStatus;
  readonly nextRunAt: Date;
  readonly lastRunAt: Date | null;
  readonly lastSuccessAt: Date | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  readonly deadLetteredAt: Date | null;
  readonly createdAt: Date;
}
