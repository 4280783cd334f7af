import { createRef, type InboxDeliveryInit, TrackerEventType } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM fixture shared with the worker child processes.
import { expectedTitle } from '../test-fixtures/seeded-memory.mjs';
import type { SyncWorker, SyncWorkerOptions, WorkerEvent } from './sync-worker';
import { freshSchema, overlappingRuns, useWorkers, waitFor } from './test-support';

const workers = useWorkers();

async function startWorker(options: Partial<SyncWorkerOptions> & { schema: string }): Promise<SyncWorker> {
  const [worker] = await workers.start(1, { workerId: 'hooks', ...options });
  return worker as SyncWorker;
}

const issueId = (index: number) => `i-${String(index).padStart(5, '0')}`;

function delivery(bindingId: string, deliveryId: string, index: number): InboxDeliveryInit {
  return {
    binding: bindingId,
    deliveryId,
    vendorEvent: 'issues',
    events: [
      {
        eventId: `evt-${deliveryId}`,
        eventType: TrackerEventType.UPDATED,
        issueRef: createRef({ system: 'memory', workspace: bindingId, id: issueId(index) }),
        timestamp: new Date(),
        payload: {},
      },
    ],
    receivedAt: new Date(),
  };
}

async function titles(worker: SyncWorker, bindingId: string): Promise<string[]> {
  return (await worker.store.scope(bindingId).listIssues()).map((issue) => issue.title);
}

describe('SyncWorker webhook deliveries', () => {
  it('enqueueDelivery stores the delivery, and a webhook run syncs only its issues, then completes it', async () => {
    const schema = freshSchema('hook');
    const events: WorkerEvent[] = [];
    const worker = await startWorker({ schema, onEvent: (event) => events.push(event) });
    await worker.bindings.add({
      id: 'hook',
      provider: 'memory',
      config: { issues: 4 },
      intervalSeconds: 3600,
    });
    await worker.tick();
    await waitFor(
      'the first sync',
      async () => (await worker.bindings.require('hook')).lastSuccessAt !== null,
    );
    // The tracker changes every issue; a webhook names issue 1 only.
    await worker.bindings.updateConfig('hook', { issues: 4, revision: 2 });
    const queued = await worker.enqueueDelivery(delivery('hook', 'gh-delivery-1', 1));
    expect(queued.status).toBe('queued');
    expect(await worker.enqueueDelivery(delivery('hook', 'gh-delivery-1', 1))).toEqual({
      status: 'duplicate',
      id: queued.id,
    });
    const inbox = worker.store.scope('hook');
    await waitFor('the delivery to be completed', async () => (await inbox.inboxStats('hook')).done === 1);
    // Only the touched issue was re-read: a drain, not a full sync.
    expect(await titles(worker, 'hook')).toEqual([
      expectedTitle('hook', 0, 1),
      expectedTitle('hook', 1, 2),
      expectedTitle('hook', 2, 1),
      expectedTitle('hook', 3, 1),
    ]);
    expect(await inbox.inboxStats('hook')).toMatchObject({ queued: 0, inFlight: 0, dead: 0, done: 1 });
    const runs = await worker.store.listRuns({ scopeId: 'hook' });
    expect(runs.map((run) => [run.command, run.outcome])).toEqual([
      ['webhook', 'ok'],
      ['sync', 'ok'],
    ]);
    expect(runs[0]?.summary).toMatchObject({ claimed: 1, completed: 1, retried: 0, dead: 0 });
    const drained = events.find((event) => event.type === 'run' && event.outcome.kind === 'drained');
    expect(drained).toBeDefined();
    expect(events.some((event) => event.type === 'enqueued' && event.reason === 'webhook')).toBe(true);
    expect(await overlappingRuns(worker.store.pool, schema)).toBe(0);
  });

  it('tick starts a drain of deliveries nobody enqueued a run for (a receiver that crashed, a retry that came due)', async () => {
    const schema = freshSchema('hooktick');
    const worker = await startWorker({ schema });
    await worker.bindings.add({
      id: 'tick',
      provider: 'memory',
      config: { issues: 3 },
      intervalSeconds: 3600,
    });
    await worker.tick();
    await waitFor(
      'the first sync',
      async () => (await worker.bindings.require('tick')).lastSuccessAt !== null,
    );
    await worker.bindings.updateConfig('tick', { issues: 3, revision: 2 });
    // Stored straight into the inbox: no job was sent for it.
    const inbox = worker.store.scope('tick');
    await inbox.enqueueDelivery(delivery('tick', 'direct', 2));
    expect(await worker.tick()).toBe(0);
    await waitFor('the drain', async () => (await inbox.inboxStats('tick')).done === 1);
    expect(await titles(worker, 'tick')).toEqual([
      expectedTitle('tick', 0, 1),
      expectedTitle('tick', 1, 1),
      expectedTitle('tick', 2, 2),
    ]);
  });

  it('a scheduled sync drains the due deliveries first and reports them', async () => {
    const schema = freshSchema('hooksync');
    const events: WorkerEvent[] = [];
    const worker = await startWorker({ schema, onEvent: (event) => events.push(event) });
    await worker.bindings.add({
      id: 'both',
      provider: 'memory',
      config: { issues: 2 },
      intervalSeconds: 3600,
    });
    await worker.store.scope('both').enqueueDelivery(delivery('both', 'early', 0));
    await worker.syncNow('both');
    await waitFor('the run', async () => (await worker.bindings.require('both')).lastSuccessAt !== null);
    const run = events.find((event) => event.type === 'run');
    expect(run?.type === 'run' && run.outcome.kind).toBe('ok');
    if (run?.type === 'run' && run.outcome.kind === 'ok') {
      expect(run.outcome.drained).toMatchObject({ claimed: 1, completed: 1 });
    }
    expect(await worker.store.scope('both').inboxStats('both')).toMatchObject({ done: 1, queued: 0 });
    expect(await titles(worker, 'both')).toEqual([expectedTitle('both', 0, 1), expectedTitle('both', 1, 1)]);
  });

  it('refuses a delivery for an unknown binding and stores nothing', async () => {
    const schema = freshSchema('hookunknown');
    const worker = await startWorker({ schema, work: false });
    await expect(worker.enqueueDelivery(delivery('nope', 'x', 0))).rejects.toThrow(/nope/);
    expect(await worker.store.scope('nope').inboxStats()).toMatchObject({ queued: 0 });
  });
});
