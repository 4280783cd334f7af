import type Database from 'better-sqlite3';
import { SqliteStoreError } from './store-errors';

/** One forward-only schema step. `version` is the schema version after `up` has run. */
export interface SqliteMigration {
  readonly version: number;
  readonly description: string;
  readonly up: string;
}

/**
 * The schema history. Append only: never edit a released step, add a new one instead, so a
 * database written by any older release upgrades step by step.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = Object.freeze([
  {
    version: 1,
    description: 'issues as wire JSON with indexed identity, system and updated_at',
    up: `
      CREATE TABLE issues (
        identity    TEXT PRIMARY KEY NOT NULL,
        system      TEXT NOT NULL,
        workspace   TEXT NOT NULL,
        external_id TEXT NOT NULL,
        issue_key   TEXT,
        updated_at  TEXT,
        payload     TEXT NOT NULL
      );
      CREATE INDEX issues_system ON issues (system, identity);
      CREATE INDEX issues_updated_at ON issues (updated_at);
    `,
  },
  {
    version: 2,
    description: 'sync bases for three-way merge and engine checkpoints per scope',
    up: `
      CREATE TABLE sync_bases (
        identity TEXT PRIMARY KEY NOT NULL,
        payload  TEXT NOT NULL
      );
      CREATE TABLE checkpoints (
        scope         TEXT PRIMARY KEY NOT NULL,
        cursor        TEXT,
        updated_since TEXT,
        written_at    TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'work-package mappings, run lock, run journal and conflict records; stored_at on issues',
    up: `
      ALTER TABLE issues ADD COLUMN stored_at TEXT;
      CREATE TABLE mappings (
        work_package_id TEXT NOT NULL,
        identity        TEXT NOT NULL,
        ref             TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        PRIMARY KEY (work_package_id, identity)
      );
      CREATE INDEX mappings_identity ON mappings (identity);
      CREATE TABLE run_lock (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        token       TEXT NOT NULL,
        command     TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        hostname    TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        command     TEXT NOT NULL,
        scope       TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        outcome     TEXT,
        summary     TEXT
      );
      CREATE TABLE conflicts (
        id                     INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id                 INTEGER NOT NULL REFERENCES runs (id),
        identity               TEXT,
        field_name             TEXT NOT NULL,
        local_value            TEXT,
        external_value         TEXT,
        resolved_value         TEXT,
        strategy               TEXT NOT NULL,
        manual_review_required INTEGER NOT NULL,
        acknowledged_at        TEXT
      );
      CREATE INDEX conflicts_open ON conflicts (acknowledged_at, manual_review_required);
    `,
  },
  {
    version: 4,
    description: 'content keys on issues and sync bases, so unsynced issues are found with one query',
    up: `
      ALTER TABLE issues ADD COLUMN content_key TEXT;
      ALTER TABLE sync_bases ADD COLUMN content_key TEXT;
    `,
  },
  {
    version: 5,
    description: 'conflict resolutions: pending flag, issue ref, decided value, resolved and applied times',
    up: `
      ALTER TABLE conflicts ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conflicts ADD COLUMN ref TEXT;
      ALTER TABLE conflicts ADD COLUMN resolution_value TEXT;
      ALTER TABLE conflicts ADD COLUMN resolved_at TEXT;
      ALTER TABLE conflicts ADD COLUMN applied_at TEXT;
      CREATE INDEX conflicts_open_pending ON conflicts (identity, field_name)
        WHERE acknowledged_at IS NULL AND pending = 1;
    `,
  },
  {
    version: 6,
    description:
      'raw vendor JSON stored once: its own column on issues, on a sync base only when it differs from the issue; content keys become digests',
    up: `
      ALTER TABLE issues ADD COLUMN raw TEXT;
      UPDATE issues SET raw = json_extract(payload, '$.raw'), payload = json_remove(payload, '$.raw'),
        content_key = NULL
        WHERE json_valid(payload);
      ALTER TABLE sync_bases ADD COLUMN raw TEXT;
      ALTER TABLE sync_bases ADD COLUMN raw_shared INTEGER NOT NULL DEFAULT 0;
      UPDATE sync_bases SET raw = json_extract(payload, '$.raw'), payload = json_remove(payload, '$.raw'),
        content_key = NULL
        WHERE json_valid(payload);
      UPDATE sync_bases SET raw = NULL, raw_shared = 1
        WHERE raw IS NOT NULL AND raw = (SELECT i.raw FROM issues i WHERE i.identity = sync_bases.identity);
    `,
  },
  {
    version: 7,
    description:
      'content keys readable from indexes: listing the unsynced compares keys without reading issue rows, and opening a store finds rows without a key without scanning',
    up: `
      DROP INDEX issues_system;
      CREATE INDEX issues_system ON issues (system, identity, content_key);
      CREATE INDEX issues_missing_content_key ON issues (identity, content_key) WHERE content_key IS NULL;
      CREATE INDEX sync_bases_missing_content_key ON sync_bases (identity, content_key) WHERE content_key IS NULL;
    `,
  },
  {
    version: 8,
    description:
      'tombstones: issues deleted, archived or moved on the tracker, or deleted locally; the issue row and its sync base stay',
    up: `
      CREATE TABLE tombstones (
        identity    TEXT PRIMARY KEY NOT NULL,
        system      TEXT NOT NULL,
        workspace   TEXT NOT NULL,
        external_id TEXT NOT NULL,
        issue_key   TEXT,
        ref         TEXT NOT NULL,
        reason      TEXT NOT NULL CHECK (reason IN ('deleted', 'archived', 'moved')),
        moved_to    TEXT,
        observed_at TEXT NOT NULL,
        observed_ms INTEGER NOT NULL,
        origin      TEXT NOT NULL CHECK (origin IN ('remote', 'local')),
        pushed      INTEGER NOT NULL CHECK (pushed IN (0, 1))
      ) WITHOUT ROWID;
      CREATE INDEX tombstones_observed ON tombstones (observed_ms, identity);
      CREATE INDEX tombstones_system ON tombstones (system, observed_ms, identity);
      CREATE INDEX tombstones_unpushed ON tombstones (origin, observed_ms, identity) WHERE pushed = 0;
    `,
  },
  {
    version: 9,
    description:
      'the webhook inbox: verified deliveries queued until synced, de-duplicated by (binding, delivery id), claimed under leases',
    up: `
      CREATE TABLE webhook_inbox (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        binding      TEXT NOT NULL,
        delivery_id  TEXT,
        vendor_event TEXT NOT NULL,
        events       TEXT,
        received_ms  INTEGER NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'done', 'dead')),
        attempts     INTEGER NOT NULL,
        available_ms INTEGER NOT NULL,
        completed_ms INTEGER,
        last_error   TEXT
      );
      CREATE UNIQUE INDEX webhook_inbox_delivery ON webhook_inbox (binding, delivery_id)
        WHERE delivery_id IS NOT NULL;
      CREATE INDEX webhook_inbox_pending ON webhook_inbox (binding, received_ms, id)
        WHERE state IN ('queued', 'in_flight');
      CREATE INDEX webhook_inbox_state ON webhook_inbox (binding, state);
      CREATE INDEX webhook_inbox_done ON webhook_inbox (completed_ms) WHERE state = 'done';
    `,
  },
  {
    version: 10,
    description:
      'a sync base equal to its issue shares the issue payload (kept apart by triggers before the issue changes); the unused updated_at index goes',
    up: `
      DROP INDEX issues_updated_at;
      ALTER TABLE sync_bases ADD COLUMN payload_shared INTEGER NOT NULL DEFAULT 0;
      UPDATE sync_bases SET payload = '', payload_shared = 1
        WHERE payload = (SELECT i.payload FROM issues i WHERE i.identity = sync_bases.identity);
      CREATE TRIGGER issues_unshare_base_payload BEFORE UPDATE OF payload ON issues
        WHEN NEW.payload IS NOT OLD.payload
        BEGIN
          UPDATE sync_bases SET payload = OLD.payload, payload_shared = 0
            WHERE identity = OLD.identity AND payload_shared = 1;
        END;
      CREATE TRIGGER issues_unshare_base_payload_on_delete BEFORE DELETE ON issues
        BEGIN
          UPDATE sync_bases SET payload = OLD.payload, payload_shared = 0
            WHERE identity = OLD.identity AND payload_shared = 1;
        END;
    `,
  },
]);

export const LATEST_SCHEMA_VERSION: number = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;

const VERSION_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)';

/** The schema version recorded in the database (0 for a new, empty database). */
export function readSchemaVersion(db: Database.Database): number {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Brings the database to `target` (default: the latest version), one step per transaction, so a
 * crash leaves it at a consistent earlier version. Refuses a database newer than this release.
 * Returns the versions that were applied.
 */
export function migrate(
  db: Database.Database,
  options: { target?: number; migrations?: readonly SqliteMigration[] } = {},
): number[] {
  const migrations = options.migrations ?? SQLITE_MIGRATIONS;
  const latest = migrations.at(-1)?.version ?? 0;
  const target = options.target ?? latest;
  if (target > latest) {
    throw new SqliteStoreError(
      `Cannot migrate to schema version ${target}: this release knows versions up to ${latest}.`,
    );
  }
  const applied: number[] = [];
  const step = db.transaction((migration: SqliteMigration) => {
    db.exec(VERSION_TABLE);
    // Re-read inside the write transaction: another process may have migrated meanwhile.
    if (readSchemaVersion(db) >= migration.version) return false;
    db.exec(migration.up);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
      migration.version,
      new Date().toISOString(),
    );
    return true;
  });
  const current = readSchemaVersion(db);
  if (current > latest) {
    throw new SqliteStoreError(
      `The store ${db.name} has schema version ${current}, newer than this release of @spec-kitty/store-sqlite supports (${latest}). Upgrade @spec-kitty/store-sqlite (and the CLI) to open it.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    try {
      if (step.immediate(migration)) applied.push(migration.version);
    } catch (error) {
      throw new SqliteStoreError(
        `Migration of ${db.name} to schema version ${migration.version} (${migration.description}) failed: ${(error as Error).message}. The database was left at version ${readSchemaVersion(db)}; nothing of the failed step was applied.`,
        { cause: error },
      );
    }
  }
  return applied;
}
