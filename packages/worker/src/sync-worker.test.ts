import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictStrategy, ConnectorRequestError, OwnershipPolicy } from '@spec-kitty/core';
import { PostgresStore } from '@spec-kitty/store-postgres';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM fixture shared with the worker child processes.
import { expectedTitle, seededMemoryFactory } from '../test-fixtures/seeded-memory.mjs';
import type { Binding } from './binding';
import type { ConnectorFactory } from './connector-factory';
import { DEAD_LETTER_QUEUE, type SyncWorker, type WorkerEvent } from './sync-worker';
import { databaseUrl, freshSchema, overlappingRuns, useWorkers, waitFor } from './test-support';

const seeded = seededMemoryFactory as ConnectorFactory;
const workers = useWorkers();
const startWorkers = workers.start;

async function allSucceeded(worker: SyncWorker, ids: readonly string[]): Promise<boolean> {
  const bindings = await worker.bindings.list();
  const done = new Set(
    bindings.filter((binding) => binding.lastSuccessAt !== null).map((binding) => binding.id),
  );
  return ids.every((id) => done.has(id));
}

describe('SyncWorker', () => {
  it('runs every due binding once on a fleet, one run per binding at a time, and converges', async () => {
    const schema = freshSchema('fleet');
    const [first, second] = await startWorkers(2, { schema, concurrency: 3 });
    const ids = Array.from({ length: 24 }, (_, index) => `b-${index}`);
    // 100 ms per listing page (3 pages a run): one worker alone would need about 2.4 s for the 24
    // runs, several of the other's 0.5 s polls, so both take runs however the machine is loaded.
    // Without it one worker could drain the queue between two polls of the other.
    await first!.bindings.addMany(
      ids.map((id) => ({
        id,
        provider: 'memory',
        config: { issues: 60, delayMs: 100 },
        syncOptions: { limit: 25 },
      })),
    );
    expect(await first!.tick()).toBe(24);
    expect(await second!.tick()).toBe(0);
    await waitFor('every binding to sync', () => allSucceeded(first!, ids));
    for (const id of ['b-0', 'b-23']) {
      const issues = await first!.store.scope(id).listIssues();
      expect(issues).toHaveLength(60);
      expect(issues[59]?.title).toBe(expectedTitle(id, 59, 1));
    }
    const runs = await first!.store.listRuns({ limit: 1000 });
    expect(runs.filter((run) => run.outcome === 'ok')).toHaveLength(24);
    expect(new Set(runs.map((run) => run.holder))).toEqual(new Set(['worker-0', 'worker-1']));
    expect(await overlappingRuns(first!.store.pool, schema)).toBe(0);
  });

  it('"sync now" runs a binding again and picks up remote changes', async () => {
    const schema = freshSchema('now');
    const [worker] = await startWorkers(1, { schema });
    await worker!.bindings.add({
      id: 'now',
      provider: 'memory',
      config: { issues: 5 },
      intervalSeconds: 3600,
    });
    await worker!.tick();
    await waitFor('the first run', () => allSucceeded(worker!, ['now']));
    await worker!.bindings.updateConfig('now', { issues: 5, revision: 2 });
    await worker!.syncNow('now');
    await waitFor(
      'the second run',
      async () =>
        (await worker!.store.listRuns({ scopeId: 'now' })).filter((run) => run.outcome === 'ok').length === 2,
    );
    const issues = await worker!.store.scope('now').listIssues();
    expect(issues.map((issue) => issue.title)).toEqual(
      [0, 1, 2, 3, 4].map((index) => expectedTitle('now', index, 2)),
    );
  });

  it("writes the host's decision on a pending conflict in the next run", async () => {
    const schema = freshSchema('resolve');
    const [worker] = await startWorkers(1, {
      schema,
      engineOptions: { maxRetryAttempts: 0, strategy: ConflictStrategy.MANUAL_REVIEW },
    });
    const split = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: 'shared' });
    await worker!.bindings.add({ id: 'r', provider: 'memory', config: { issues: 2 }, policy: split });
    await worker!.tick();
    await waitFor('the first run', () => allSucceeded(worker!, ['r']));
    // Both sides change the title of issue 0: a pending manual-review conflict.
    const scoped = worker!.store.scope('r');
    const local = (await scoped.listIssues())[0]!;
    await scoped.upsertIssue({ ...local, title: 'edited locally' });
    await worker!.bindings.updateConfig('r', { issues: 2, revision: 2 });
    await worker!.syncNow('r');
    await waitFor('the pending conflict', async () =>
      (await scoped.listConflicts()).some((conflict) => conflict.pending),
    );
    const [conflict] = await scoped.listConflicts();
    await scoped.resolveConflict(conflict!.id, { value: 'decided' });
    await worker!.syncNow('r');
    await waitFor(
      'the decision to be applied',
      async () => (await scoped.getConflict(conflict!.id))?.resolution?.appliedAt != null,
    );
    expect((await scoped.getIssue(local.ref))?.title).toBe('decided');
    expect(await scoped.listPendingResolutions()).toEqual([]);
  });

  it('a long run of one binding holds up neither the queue nor a "sync now" of it', async () => {
    const schema = freshSchema('hol');
    const [worker] = await startWorkers(1, { schema, concurrency: 2 });
    await worker!.bindings.add({
      id: 'slow',
      provider: 'memory',
      config: { issues: 30, delayMs: 700 },
      syncOptions: { limit: 10 },
      intervalSeconds: 3600,
    });
    await worker!.tick();
    await waitFor(
      'the slow run to start',
      async () => (await worker!.store.listRuns({ scopeId: 'slow' })).length > 0,
    );
    // Queued while its binding runs, then another binding behind it.
    await sleep(1000);
    await worker!.syncNow('slow');
    await worker!.bindings.add({
      id: 'quick',
      provider: 'memory',
      config: { issues: 3 },
      intervalSeconds: 3600,
    });
    await worker!.tick();
    await waitFor('the quick binding', () => allSucceeded(worker!, ['quick']));
    const [slowRun] = await worker!.store.listRuns({ scopeId: 'slow' });
    expect(slowRun?.finishedAt).toBeNull();
    await waitFor('the requested second run', async () => {
      const runs = await worker!.store.listRuns({ scopeId: 'slow' });
      return runs.filter((run) => run.outcome === 'ok').length === 2;
    });
    expect(await overlappingRuns(worker!.store.pool, schema)).toBe(0);
  });

  it('caps runs per provider across the fleet', async () => {
    const schema = freshSchema('cap');
    let running = 0;
    let peak = 0;
    const slow: ConnectorFactory = async (binding, credential) => {
      const connector = await seeded(binding, credential);
      const list = connector.listIssues.bind(connector);
      connector.listIssues = async (query) => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(150);
        running -= 1;
        return list(query);
      };
      return connector;
    };
    const [worker] = await startWorkers(2, {
      schema,
      concurrency: 3,
      providerConcurrency: { memory: 1 },
      createConnector: slow,
    });
    const ids = Array.from({ length: 6 }, (_, index) => `cap-${index}`);
    await worker!.bindings.addMany(ids.map((id) => ({ id, provider: 'memory', config: { issues: 3 } })));
    await worker!.tick();
    await waitFor('every capped binding', () => allSucceeded(worker!, ids));
    expect(peak).toBe(1);
  });

  it('retries after the rate-limit reset, and dead-letters a binding that keeps failing with its last error', async () => {
    const schema = freshSchema('retry');
    const events: WorkerEvent[] = [];
    const failing: ConnectorFactory = async (binding, credential) => {
      const connector = await seeded(binding, credential);
      connector.listIssues = async () => {
        if (binding.id === 'limited') {
          throw new ConnectorRequestError('rate limited', {
            statusCode: 429,
            retryAfterSeconds: 120,
            provider: 'memory',
          });
        }
        throw new ConnectorRequestError('tracker down', { statusCode: 503, provider: 'memory' });
      };
      return connector;
    };
    const [worker] = await startWorkers(1, {
      schema,
      createConnector: failing,
      maxAttempts: 2,
      onEvent: (event) => events.push(event),
    });
    await worker!.bindings.add({ id: 'limited', provider: 'memory' });
    await worker!.bindings.add({ id: 'down', provider: 'memory' });
    await worker!.tick();
    await waitFor(
      'the dead letter',
      async () => (await worker!.bindings.require('down')).status === 'dead_letter',
      30_000,
    );
    const down = await worker!.bindings.require('down');
    expect(down.lastError).toContain('tracker down');
    expect(down.consecutiveFailures).toBe(2);
    expect(events.some((event) => event.type === 'dead_letter' && event.bindingId === 'down')).toBe(true);
    const { rows: dead } = await worker!.store.pool.query(
      `SELECT data FROM "${schema}_boss".job WHERE name = $1`,
      [DEAD_LETTER_QUEUE],
    );
    expect(dead.map((row) => row.data.bindingId)).toEqual(['down']);

    await waitFor(
      'the rate-limited run',
      async () => (await worker!.bindings.require('limited')).consecutiveFailures === 1,
    );
    const { rows } = await worker!.store.pool.query<{ start_after: Date }>(
      `SELECT start_after FROM "${schema}_boss".job WHERE name = 'spec-kitty-sync' AND singleton_key = 'limited' AND state = 'created'`,
    );
    // Scheduled after the tracker's 120 s reset, not after the 1 s backoff.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.start_after.getTime()).toBeGreaterThan(Date.now() + 100_000);
  });

  it('resolves credentials by reference and fails clearly when one is missing', async () => {
    const schema = freshSchema('creds');
    const seen: (string | null)[] = [];
    const recording: ConnectorFactory = (binding: Binding, credential) => {
      seen.push(typeof credential === 'string' ? credential : null);
      return seeded(binding, credential);
    };
    const [worker] = await startWorkers(1, {
      schema,
      createConnector: recording,
      maxAttempts: 1,
      resolveCredential: (name) => (name === 'known' ? 's3cret-token' : null),
    });
    await worker!.bindings.add({ id: 'with-cred', provider: 'memory', credentialRef: 'known' });
    await worker!.bindings.add({ id: 'no-cred', provider: 'memory', credentialRef: 'unknown' });
    await worker!.tick();
    await waitFor('both outcomes', async () => {
      const [ok, dead] = [
        await worker!.bindings.require('with-cred'),
        await worker!.bindings.require('no-cred'),
      ];
      return ok.lastSuccessAt !== null && dead.status === 'dead_letter';
    });
    expect(seen).toEqual(['s3cret-token']);
    expect((await worker!.bindings.require('no-cred')).lastError).toContain('credential "unknown"');
    const { rows } = await worker!.store.pool.query(`SELECT * FROM "${schema}".bindings`);
    expect(JSON.stringify(rows)).not.toContain('s3cret-token');
  });

  it('on stop, gives the current page back and another worker finishes the binding', async () => {
    const schema = freshSchema('stop');
    const [leaving] = await startWorkers(1, { schema, concurrency: 1, workerId: 'leaving' });
    const observer = await PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 2 });
    workers.defer(() => observer.close());
    await leaving!.bindings.add({
      id: 'long',
      provider: 'memory',
      config: { issues: 40, delayMs: 150 },
      syncOptions: { limit: 10 },
    });
    await leaving!.tick();
    // Stop mid-run: after the first page committed, before the last.
    await waitFor('a committed page', async () => (await observer.scope('long').countIssues()) >= 10);
    await leaving!.stop();
    const runs = await observer.listRuns({ scopeId: 'long' });
    expect(runs[0]).toMatchObject({ outcome: 'released', holder: 'leaving' });
    const committed = await observer.scope('long').countIssues();
    // Whole pages only, each with its checkpoint.
    expect(committed % 10).toBe(0);
    expect(committed).toBeLessThan(40);
    expect((await observer.scope('long').getCheckpoint('memory'))?.cursor).toBe(String(committed));
    const [successor] = await startWorkers(1, { schema, workerId: 'successor' });
    await waitFor('the successor', async () => (await successor!.store.scope('long').countIssues()) === 40);
    await waitFor(
      'the successor run',
      async () => (await successor!.bindings.require('long')).lastSuccessAt !== null,
    );
    const after = await successor!.store.listRuns({ scopeId: 'long' });
    expect(after[0]).toMatchObject({ outcome: 'ok', holder: 'successor' });
    expect((after[0]?.summary as { stats: { pulledCreated: number } } | undefined)?.stats.pulledCreated).toBe(
      40 - committed,
    );
  });
});
