import { issueFromJSON, issueToJSON } from '@spec-kitty/core';
import { contentKey } from '@spec-kitty/core/store';
import type pg from 'pg';

const BATCH = 500;

/**
 * Rewrites the content keys of `issues` and `sync_bases` written before schema version 3 (the
 * full canonical text) as the digest `contentKey` now computes. Without it an old issue and its
 * old base would still match, but an issue rewritten since would never match its old base, so
 * it would be listed unsynced on every push until both were rewritten. Old keys start with `[`,
 * which a base64url digest never does, so the step only touches old rows, in keyset batches.
 * A payload that no longer parses keeps its old key: it is listed unsynced, never missed.
 */
export async function rewriteContentKeys(client: pg.PoolClient, schema: string): Promise<void> {
  for (const table of ['issues', 'sync_bases'] as const) {
    let after: { scope: string; identity: string } | null = null;
    for (;;) {
      const batch: pg.QueryResult<{ scope_id: string; identity: string; payload: string }> =
        await client.query(
          `SELECT scope_id, identity, payload FROM ${schema}.${table}
         WHERE content_key LIKE '[%' AND ($1::text IS NULL OR (scope_id, identity) > ($1, $2::text COLLATE "C"))
         ORDER BY scope_id, identity LIMIT ${BATCH}`,
          [after?.scope ?? null, after?.identity ?? null],
        );
      if (batch.rows.length === 0) break;
      const scopes: string[] = [];
      const identities: string[] = [];
      const keys: string[] = [];
      for (const row of batch.rows) {
        try {
          keys.push(contentKey(issueToJSON(issueFromJSON(JSON.parse(row.payload)))));
          scopes.push(row.scope_id);
          identities.push(row.identity);
        } catch {
          // Unreadable: keeps the old key (listed unsynced; reading it reports the damage).
        }
      }
      if (keys.length > 0) {
        await client.query(
          `UPDATE ${schema}.${table} AS t SET content_key = k.content_key
           FROM unnest($1::text[], $2::text[], $3::text[]) AS k (scope_id, identity, content_key)
           WHERE t.scope_id = k.scope_id AND t.identity = k.identity COLLATE "C"`,
          [scopes, identities, keys],
        );
      }
      const last = batch.rows.at(-1);
      if (!last || batch.rows.length < BATCH) break;
      after = { scope: last.scope_id, identity: last.identity };
    }
  }
}
