import { rewriteContentKeys } from './content-key-migration';
import type { PostgresMigration } from './pg-migrations';

export const STORE_COMPONENT = 'store';

/**
 * The store's schema history. Append only: never edit a released step, add a new one, so a
 * database written by any older release upgrades step by step. Every row carries `scope_id` (a
 * binding, a tenant) so thousands of scopes share the tables; identities use the "C" collation,
 * which orders UTF-8 text by code point, the order the engine lists issues in.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = Object.freeze([
  {
    version: 1,
    description:
      'issues, sync bases, checkpoints, mappings, run leases, run log and conflicts, keyed by scope',
    up: `
      CREATE TABLE {{schema}}.issues (
        scope_id    text NOT NULL,
        identity    text COLLATE "C" NOT NULL,
        system      text NOT NULL,
        workspace   text NOT NULL,
        external_id text NOT NULL,
        issue_key   text,
        updated_at  text,
        payload     text NOT NULL,
        content_key text NOT NULL,
        stored_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope_id, identity)
      );
      CREATE INDEX issues_scope_system ON {{schema}}.issues (scope_id, system, identity);
      CREATE TABLE {{schema}}.sync_bases (
        scope_id    text NOT NULL,
        identity    text COLLATE "C" NOT NULL,
        payload     text NOT NULL,
        content_key text NOT NULL,
        PRIMARY KEY (scope_id, identity)
      );
      CREATE TABLE {{schema}}.checkpoints (
        scope_id      text NOT NULL,
        scope         text NOT NULL,
        cursor        text,
        updated_since timestamptz,
        written_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope_id, scope)
      );
      CREATE TABLE {{schema}}.mappings (
        scope_id        text NOT NULL,
        work_package_id text COLLATE "C" NOT NULL,
        identity        text COLLATE "C" NOT NULL,
        ref             text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope_id, work_package_id, identity)
      );
      CREATE INDEX mappings_identity ON {{schema}}.mappings (scope_id, identity);
      CREATE TABLE {{schema}}.run_leases (
        scope_id    text PRIMARY KEY,
        token       text NOT NULL,
        holder      text NOT NULL,
        command     text NOT NULL,
        acquired_at timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      );
      CREATE TABLE {{schema}}.runs (
        id          bigserial PRIMARY KEY,
        scope_id    text NOT NULL,
        command     text NOT NULL,
        holder      text,
        started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        outcome     text,
        summary     jsonb,
        error       text
      );
      CREATE INDEX runs_scope ON {{schema}}.runs (scope_id, id);
      CREATE TABLE {{schema}}.conflicts (
        id                     bigserial PRIMARY KEY,
        scope_id               text NOT NULL,
        run_id                 bigint NOT NULL REFERENCES {{schema}}.runs (id) ON DELETE CASCADE,
        identity               text,
        field_name             text NOT NULL,
        local_value            jsonb,
        external_value         jsonb,
        resolved_value         jsonb,
        strategy               text NOT NULL,
        manual_review_required boolean NOT NULL,
        acknowledged_at        timestamptz
      );
      CREATE INDEX conflicts_open ON {{schema}}.conflicts (scope_id, id) WHERE acknowledged_at IS NULL;
    `,
  },
  {
    version: 2,
    description: 'conflict resolutions: pending flag, issue ref, decided value, resolved and applied times',
    up: `
      ALTER TABLE {{schema}}.conflicts ADD COLUMN pending boolean NOT NULL DEFAULT false;
      ALTER TABLE {{schema}}.conflicts ADD COLUMN ref text;
      ALTER TABLE {{schema}}.conflicts ADD COLUMN resolution_value jsonb;
      ALTER TABLE {{schema}}.conflicts ADD COLUMN resolved_at timestamptz;
      ALTER TABLE {{schema}}.conflicts ADD COLUMN applied_at timestamptz;
      CREATE INDEX conflicts_open_pending ON {{schema}}.conflicts (scope_id, identity, field_name)
        WHERE acknowledged_at IS NULL AND pending;
    `,
  },
  {
    version: 3,
    description: 'content keys as 128-bit SHA-256 digests (recomputed from the stored payloads)',
    up: '',
    run: rewriteContentKeys,
  },
  {
    version: 4,
    description:
      'tombstones: issues deleted, archived or moved on the tracker, or deleted locally; the issue row and its sync base stay',
    up: `
      CREATE TABLE {{schema}}.tombstones (
        scope_id    text NOT NULL,
        identity    text COLLATE "C" NOT NULL,
        system      text NOT NULL,
        workspace   text NOT NULL,
        external_id text NOT NULL,
        issue_key   text,
        ref         text NOT NULL,
        reason      text NOT NULL CHECK (reason IN ('deleted', 'archived', 'moved')),
        moved_to    text,
        observed_at text NOT NULL,
        observed_ts timestamptz NOT NULL,
        origin      text NOT NULL CHECK (origin IN ('remote', 'local')),
        pushed      boolean NOT NULL,
        PRIMARY KEY (scope_id, identity)
      );
      CREATE INDEX tombstones_scope_observed ON {{schema}}.tombstones (scope_id, observed_ts, identity);
      CREATE INDEX tombstones_scope_unpushed ON {{schema}}.tombstones (scope_id, origin, observed_ts, identity)
        WHERE NOT pushed;
    `,
  },
  {
    version: 5,
    description:
      'the webhook inbox: verified deliveries queued until synced, de-duplicated by (scope, binding, delivery id), claimed under leases',
    up: `
      CREATE TABLE {{schema}}.webhook_inbox (
        id           bigserial PRIMARY KEY,
        scope_id     text NOT NULL,
        binding      text NOT NULL,
        delivery_id  text,
        vendor_event text NOT NULL,
        events       text,
        received_at  timestamptz NOT NULL,
        state        text NOT NULL CHECK (state IN ('queued', 'in_flight', 'done', 'dead')),
        attempts     integer NOT NULL,
        available_at timestamptz NOT NULL DEFAULT '-infinity',
        completed_at timestamptz,
        last_error   text
      );
      CREATE UNIQUE INDEX webhook_inbox_delivery ON {{schema}}.webhook_inbox (scope_id, binding, delivery_id)
        WHERE delivery_id IS NOT NULL;
      CREATE INDEX webhook_inbox_pending ON {{schema}}.webhook_inbox (scope_id, binding, received_at, id)
        WHERE state IN ('queued', 'in_flight');
      CREATE INDEX webhook_inbox_state ON {{schema}}.webhook_inbox (scope_id, binding, state);
      CREATE INDEX webhook_inbox_done ON {{schema}}.webhook_inbox (scope_id, completed_at) WHERE state = 'done';
    `,
  },
]);

export const LATEST_SCHEMA_VERSION: number = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
