import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { startChild, tempDir } from './test-support';

// These tests drive the built package (dist/) in child processes: run `pnpm build` first
// (turbo's `test` task depends on `build`).

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('webhook inbox across processes', () => {
  it('three processes claiming at once never get the same delivery, and together get every one', async () => {
    const path = join(dir, 'inbox-race.db');
    const seed = SqliteIssueStore.open(path);
    const total = 300;
    for (let n = 0; n < total; n++) {
      await seed.enqueueDelivery({
        binding: 'gh',
        deliveryId: `d-${n}`,
        vendorEvent: 'issues',
        events: [],
        receivedAt: new Date(Date.UTC(2026, 3, 1) + n),
      });
    }
    seed.close();
    const claimers = [0, 1, 2].map(() => startChild([path, 'drain', 'gh', '5']));
    const exits = await Promise.all(claimers.map((claimer) => claimer.exited));
    for (const [index, exit] of exits.entries()) expect(exit.code, claimers[index]?.stderr()).toBe(0);
    const got = claimers.flatMap((claimer) => claimer.lines.filter((line) => line.startsWith('got ')));
    expect(got).toHaveLength(total);
    expect(new Set(got).size).toBe(total);
    const store = SqliteIssueStore.open(path);
    try {
      expect(await store.inboxStats('gh')).toMatchObject({ queued: 0, inFlight: total });
    } finally {
      store.close();
    }
  });
});

describe('webhook inbox across a kill -9', () => {
  it('keeps every delivery whose enqueue returned when the process is killed, and they are claimable', async () => {
    const path = join(dir, 'inbox-crash.db');
    const child = startChild([path, 'enqueue', 'gh']);
    try {
      await child.waitForLine((line) => line.startsWith('queued 200 '), 30_000);
    } finally {
      child.child.kill('SIGKILL');
    }
    expect((await child.exited).signal).toBe('SIGKILL');
    const acknowledged = child.lines
      .filter((line) => line.startsWith('queued '))
      .map((line) => line.split(' ')[2] as string);
    expect(acknowledged.length).toBeGreaterThanOrEqual(201);

    const store = SqliteIssueStore.open(path);
    try {
      expect(store.integrityCheck()).toBe('ok');
      const claimed = await store.claimDeliveries({ binding: 'gh', limit: 100_000, leaseMs: 60_000 });
      const claimedIds = new Set(claimed.map((delivery) => delivery.id));
      // Every delivery the child saw committed is there (it may have committed one more before dying).
      for (const id of acknowledged) expect(claimedIds.has(id)).toBe(true);
      expect(claimed.length).toBeLessThanOrEqual(acknowledged.length + 1);
      const first = claimed[0];
      expect(first?.deliveryId).toBe('delivery-0');
      expect(first?.events[0]?.payload).toEqual({ n: 0, body: 'x'.repeat(500) });
      expect(first?.attempts).toBe(1);
      // Their de-duplication markers survived too.
      const again = await store.enqueueDelivery({
        binding: 'gh',
        deliveryId: 'delivery-5',
        vendorEvent: 'issues',
        events: [],
        receivedAt: new Date(),
      });
      expect(again.status).toBe('duplicate');
    } finally {
      store.close();
    }
  });

  it('a claim whose holder was killed is reclaimable once its lease has run out, not before', async () => {
    const path = join(dir, 'inbox-lease.db');
    const seed = SqliteIssueStore.open(path);
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const result = await seed.enqueueDelivery({
        binding: 'gh',
        deliveryId: `d-${n}`,
        vendorEvent: 'issues',
        events: [],
        receivedAt: new Date(Date.UTC(2026, 3, 1) + n),
      });
      ids.push(result.id);
    }
    seed.close();

    const leaseMs = 60_000;
    const claimedAt = Date.now();
    const holder = startChild([path, 'claim', 'gh', String(leaseMs)]);
    try {
      await holder.waitForLine((line) => line.startsWith('claimed '), 30_000);
    } finally {
      holder.child.kill('SIGKILL');
    }
    expect((await holder.exited).signal).toBe('SIGKILL');
    expect(holder.lines.find((line) => line.startsWith('claimed '))).toBe(`claimed ${ids.join(',')}`);

    const store = SqliteIssueStore.open(path);
    try {
      expect(await store.inboxStats('gh')).toMatchObject({ queued: 0, inFlight: 3 });
      expect(await store.claimDeliveries({ binding: 'gh', limit: 10, leaseMs })).toEqual([]);
      const afterLease = new Date(Date.now() + leaseMs + 1_000);
      expect(afterLease.getTime() - claimedAt).toBeGreaterThan(leaseMs);
      const reclaimed = await store.claimDeliveries({ binding: 'gh', limit: 10, leaseMs, now: afterLease });
      expect(reclaimed.map((delivery) => delivery.id)).toEqual(ids);
      expect(reclaimed.map((delivery) => delivery.attempts)).toEqual([2, 2, 2]);
    } finally {
      store.close();
    }
  });
});
