import { randomUUID } from 'node:crypto';
import { runWebhookInboxConformance } from '@spec-kitty/connector-testkit';
import {
  createRef,
  type InboxDeliveryInit,
  issueToJSON,
  refIdentity,
  supportsWebhookInbox,
  TrackerEventType,
} from '@spec-kitty/core';
import { contentKey } from '@spec-kitty/core/store';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateComponent } from './pg-migrations';
import { PostgresStore } from './postgres-store';
import { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './store-migrations';
import { databaseUrl, dropSchema, freshSchema, openTestStore, sampleIssue } from './test-support';

let opened: Awaited<ReturnType<typeof openTestStore>>;
let store: PostgresStore;
beforeAll(async () => {
  opened = await openTestStore('inbox');
  store = opened.store;
});
afterAll(async () => {
  await opened.drop();
});

// Each test gets a new scope of one shared schema: a scope's inbox starts empty beside the others'.
runWebhookInboxConformance('PostgresIssueStore', () => ({ inbox: store.scope(`inbox-${randomUUID()}`) }));

const delivery = (deliveryId: string | null, n = 0): InboxDeliveryInit => ({
  binding: 'gh',
  deliveryId,
  vendorEvent: 'issues',
  events: [
    {
      eventId: `evt-${n}`,
      eventType: TrackerEventType.UPDATED,
      issueRef: createRef({ system: 'github', workspace: 'octo/hello', id: String(n) }),
      timestamp: new Date('2026-04-01T00:00:00.000Z'),
      payload: { n },
    },
  ],
  receivedAt: new Date(Date.UTC(2026, 3, 1) + n),
});

describe('PostgresIssueStore webhook inbox', () => {
  it('two claimers on separate pools never get the same delivery, and together get every one', async () => {
    const scopeId = `race-${randomUUID()}`;
    const total = 300;
    const scope = store.scope(scopeId);
    for (let n = 0; n < total; n++) await scope.enqueueDelivery(delivery(`d-${n}`, n));
    const second = await PostgresStore.open({
      connectionString: databaseUrl(),
      schema: opened.schema,
      poolSize: 4,
    });
    try {
      const claimers = [store.scope(scopeId), second.scope(scopeId)];
      const claims: string[][] = [[], []];
      const batches: number[] = [0, 0];
      // Four loops per claimer, on four connections each, claim small batches until nothing is due.
      await Promise.all(
        claimers.flatMap((claimer, index) =>
          Array.from({ length: 4 }, async () => {
            for (;;) {
              const claimed = await claimer.claimDeliveries({ binding: 'gh', limit: 7, leaseMs: 600_000 });
              if (claimed.length === 0) return;
              batches[index] = (batches[index] ?? 0) + 1;
              claims[index]?.push(...claimed.map((each) => each.id));
            }
          }),
        ),
      );
      const all = [...(claims[0] ?? []), ...(claims[1] ?? [])];
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      // Both claimers took part (they raced for the same rows).
      expect(batches[0]).toBeGreaterThan(0);
      expect(batches[1]).toBeGreaterThan(0);
      expect(await scope.inboxStats('gh')).toMatchObject({ queued: 0, inFlight: total });
    } finally {
      await second.close();
    }
  });

  it('a claim waits for no other claimer: rows locked by an open transaction are skipped, not waited on', async () => {
    const scopeId = `skip-${randomUUID()}`;
    const scope = store.scope(scopeId);
    const first = await scope.enqueueDelivery(delivery('first', 0));
    const next = await scope.enqueueDelivery(delivery('next', 1));
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT id FROM "${opened.schema}".webhook_inbox WHERE id = $1 FOR UPDATE`, [
        first.id,
      ]);
      const claimed = await scope.claimDeliveries({ binding: 'gh', limit: 10, leaseMs: 60_000 });
      expect(claimed.map((each) => each.id)).toEqual([next.id]);
      await client.query('ROLLBACK');
      expect(
        (await scope.claimDeliveries({ binding: 'gh', limit: 10, leaseMs: 60_000 })).map((d) => d.id),
      ).toEqual([first.id]);
    } finally {
      await client.end();
    }
  });

  it('an enqueue during a batch commits at once and survives the batch throwing', async () => {
    const scopeId = `batch-${randomUUID()}`;
    const scope = store.scope(scopeId);
    const failed = scope.batch(async () => {
      await scope.upsertIssue(sampleIssue('1'));
      await scope.enqueueDelivery(delivery('in-batch'));
      // Another connection already sees it, before the batch ends.
      expect(await store.scope(scopeId).inboxStats('gh')).toMatchObject({ queued: 1 });
      throw new Error('page failed');
    });
    await expect(failed).rejects.toThrow('page failed');
    expect(await scope.getIssue(sampleIssue('1').ref)).toBeNull();
    expect(await store.scope(scopeId).inboxStats('gh')).toMatchObject({ queued: 1 });
  });

  it('keeps scopes apart and deleteScope removes the scope inbox', async () => {
    const a = store.scope(`a-${randomUUID()}`);
    const b = store.scope(`b-${randomUUID()}`);
    const queued = await a.enqueueDelivery(delivery('same'));
    expect((await b.enqueueDelivery(delivery('same'))).status).toBe('queued');
    expect(await b.claimDeliveries({ binding: 'gh', limit: 10, leaseMs: 1000 })).toHaveLength(1);
    // An id of another scope matches nothing here.
    await b.completeDeliveries([queued.id]);
    expect((await a.inboxStats()).queued).toBe(1);
    await store.deleteScope(a.scopeId);
    expect(await a.inboxStats()).toEqual({ queued: 0, inFlight: 0, dead: 0, done: 0, oldestPendingAt: null });
    expect((await b.inboxStats()).inFlight).toBe(1);
  });

  it('sets a delivery whose stored events are unreadable dead and hands out the others', async () => {
    const scope = store.scope(`corrupt-${randomUUID()}`);
    const bad = await scope.enqueueDelivery(delivery('bad', 0));
    const good = await scope.enqueueDelivery(delivery('good', 1));
    await store.pool.query(`UPDATE "${opened.schema}".webhook_inbox SET events = '{oops' WHERE id = $1`, [
      bad.id,
    ]);
    const claimed = await scope.claimDeliveries({ binding: 'gh', limit: 10, leaseMs: 1000 });
    expect(claimed.map((each) => each.id)).toEqual([good.id]);
    expect(await scope.inboxStats()).toMatchObject({ dead: 1, inFlight: 1 });
    const { rows } = await store.pool.query(
      `SELECT last_error FROM "${opened.schema}".webhook_inbox WHERE id = $1`,
      [bad.id],
    );
    expect(rows[0]?.last_error).toMatch(/stored events are unreadable/);
  });

  it('uses the database clock for leases when no now is given', async () => {
    const scope = store.scope(`clock-${randomUUID()}`);
    await scope.enqueueDelivery(delivery('c'));
    expect(await scope.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 60_000 })).toHaveLength(1);
    expect(await scope.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 60_000 })).toEqual([]);
    const { rows } = await store.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const dbNow = rows[0]?.now;
    if (dbNow === undefined) throw new Error('the database returned no clock_timestamp()');
    const later = new Date(dbNow.getTime() + 61_000);
    expect(
      await scope.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 60_000, now: later }),
    ).toHaveLength(1);
  });
});

describe('PostgresStore.scopesWithDueDeliveries', () => {
  it('names the scopes with a due delivery: queued and due, or in flight past its lease', async () => {
    const due = store.scope(`due-${randomUUID()}`);
    const later = store.scope(`later-${randomUUID()}`);
    const leased = store.scope(`leased-${randomUUID()}`);
    const finished = store.scope(`finished-${randomUUID()}`);
    await due.enqueueDelivery(delivery('1'));
    const waiting = await later.enqueueDelivery(delivery('2'));
    await later.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000 });
    await later.releaseDelivery(waiting.id, { error: 'retry', retryAt: new Date(Date.now() + 3_600_000) });
    await leased.enqueueDelivery(delivery('3'));
    await leased.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 60_000 });
    const done = await finished.enqueueDelivery(delivery('4'));
    await finished.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000 });
    await finished.completeDeliveries([done.id]);
    const mine = (scopes: string[]) =>
      scopes.filter((scope) => [due, later, leased, finished].some((each) => each.scopeId === scope)).sort();
    expect(mine(await store.scopesWithDueDeliveries())).toEqual([due.scopeId]);
    const inTwoHours = new Date(Date.now() + 7_200_000);
    expect(mine(await store.scopesWithDueDeliveries({ now: inTwoHours }))).toEqual(
      [due.scopeId, later.scopeId, leased.scopeId].sort(),
    );
  });
});

describe('store schema version 5', () => {
  it('upgrades a version-4 schema keeping its issues, then keeps an inbox', async () => {
    const schema = freshSchema('v4');
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
    try {
      await migrateComponent(pool, {
        schema,
        component: 'store',
        migrations: POSTGRES_MIGRATIONS.slice(0, 4),
      });
      const old = await PostgresStore.open({ pool, schema, migrate: false }).catch((error: Error) => error);
      expect(old).toBeInstanceOf(Error);
      const missing = await pool.query(`SELECT to_regclass('"${schema}".webhook_inbox') IS NULL AS missing`);
      expect(missing.rows[0]?.missing).toBe(true);
      // A row as a version-4 release wrote it.
      const issue = sampleIssue('1');
      const json = issueToJSON(issue);
      await pool.query(
        `INSERT INTO "${schema}".issues (scope_id, identity, system, workspace, external_id, issue_key, updated_at, payload, content_key)
         VALUES ('s', $1, 'memory', 'team', '1', 'M-1', $2, $3, $4)`,
        [refIdentity(issue.ref), json.updated_at, JSON.stringify(json), contentKey(json)],
      );
      const v4 = await PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 2 });
      try {
        expect(await v4.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        expect(LATEST_SCHEMA_VERSION).toBe(5);
        const scope = v4.scope('s');
        expect(supportsWebhookInbox(scope)).toBe(true);
        expect((await scope.enqueueDelivery(delivery('d'))).status).toBe('queued');
        expect((await scope.enqueueDelivery(delivery('d'))).status).toBe('duplicate');
        expect(await scope.getIssue(issue.ref)).toEqual(issue);
      } finally {
        await v4.close();
      }
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });
});
