import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { RunLockHeldError } from './store-errors';
import { startChild, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
const stores: SqliteIssueStore[] = [];
function open(): SqliteIssueStore {
  const store = SqliteIssueStore.open(join(dir, 'lock.db'));
  stores.push(store);
  return store;
}
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  cleanup();
});

describe('advisory run lock', () => {
  it('lets one of two connections hold it and names the holder to the other', async () => {
    const first = open();
    const second = open();
    const lock = await first.acquireRunLock({ command: 'sync' });
    const error = await second.acquireRunLock({ command: 'push' }).catch((e: unknown) => e);
    expect(RunLockHeldError.isInstance(error)).toBe(true);
    expect((error as RunLockHeldError).holder).toMatchObject({ command: 'sync', pid: process.pid });
    expect((error as Error).message).toMatch(/Another run holds the lock .*`sync` \(pid \d+/);
    lock.release();
    lock.release();
    const next = await second.acquireRunLock({ command: 'push' });
    expect(first.readRunLock()?.command).toBe('push');
    next.release();
    expect(first.readRunLock()).toBeNull();
  });

  it('an old release never removes a successor lock', async () => {
    const first = open();
    const lock = await first.acquireRunLock({ command: 'sync' });
    first.forceReleaseRunLock();
    const successor = await open().acquireRunLock({ command: 'pull' });
    lock.release();
    expect(first.readRunLock()?.token).toBe(successor.holder.token);
  });

  it('waits for the holder when asked to', async () => {
    const first = open();
    const second = open();
    const lock = await first.acquireRunLock({ command: 'sync' });
    setTimeout(() => lock.release(), 150);
    const started = Date.now();
    const next = await second.acquireRunLock({ command: 'sync', waitMs: 5000, pollMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    next.release();
  });

  it('serialises runs with withRunLock, releasing after errors', async () => {
    const store = open();
    await expect(
      store.withRunLock({ command: 'sync' }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(store.readRunLock()).toBeNull();
    const order: string[] = [];
    const other = open();
    const a = store.withRunLock({ command: 'a' }, async () => {
      order.push('a:start');
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push('a:end');
    });
    const b = other.withRunLock({ command: 'b', waitMs: 5000, pollMs: 10 }, async () => {
      order.push('b:start');
      order.push('b:end');
    });
    await Promise.all([a, b]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it('blocks another process while its holder lives and is taken over once it is killed', async () => {
    const path = join(dir, 'lock.db');
    open().close();
    const child = startChild([path, 'lock', 'sync']);
    try {
      await child.waitForLine((line) => line === 'locked');
      const store = open();
      const error = await store.acquireRunLock({ command: 'sync' }).catch((e: unknown) => e);
      expect(RunLockHeldError.isInstance(error)).toBe(true);
      expect((error as RunLockHeldError).holder.pid).toBe(child.child.pid);
      child.child.kill('SIGKILL');
      await child.exited;
      const lock = await store.acquireRunLock({ command: 'sync' });
      expect(lock.holder.pid).toBe(process.pid);
      lock.release();
    } finally {
      child.child.kill('SIGKILL');
    }
  });

  it('treats a lock older than staleAfterMs as abandoned', async () => {
    const store = open();
    await store.acquireRunLock({ command: 'sync' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(open().acquireRunLock({ command: 'sync' })).rejects.toThrow(RunLockHeldError);
    const lock = await open().acquireRunLock({ command: 'sync', staleAfterMs: 10 });
    expect(lock.holder.command).toBe('sync');
  });
});
