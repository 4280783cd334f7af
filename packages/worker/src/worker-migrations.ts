import type { PostgresMigration } from '@spec-kitty/store-postgres';

export const WORKER_COMPONENT = 'worker';

/** The worker's schema history (append only), beside the store's tables in the same schema. */
export const WORKER_MIGRATIONS: readonly PostgresMigration[] = Object.freeze([
  {
    version: 1,
    description: 'sync bindings: provider, connector config, credential reference, policy, schedule, health',
    up: `
      CREATE TABLE {{schema}}.bindings (
        id                   text PRIMARY KEY,
        provider             text NOT NULL,
        config               jsonb NOT NULL DEFAULT '{}',
        credential_ref       text,
        policy               jsonb NOT NULL,
        sync_options         jsonb NOT NULL DEFAULT '{}',
        interval_seconds     integer NOT NULL CHECK (interval_seconds > 0),
        enabled              boolean NOT NULL DEFAULT true,
        status               text NOT NULL DEFAULT 'active',
        next_run_at          timestamptz NOT NULL DEFAULT now(),
        last_run_at          timestamptz,
        last_success_at      timestamptz,
        last_error           text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        dead_lettered_at     timestamptz,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX bindings_due ON {{schema}}.bindings (next_run_at) WHERE enabled AND status = 'active';
    `,
  },
]);
