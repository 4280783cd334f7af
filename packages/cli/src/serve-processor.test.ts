import type { SyncResult } from '@spec-kitty/core';
import { createSyncResult } from '@spec-kitty/core/internal';
import { describe, expect, it } from 'vitest';
import { createServeLog } from './serve-log';
import { type DrainOutcome, InboxProcessor } from './serve-processor';

// The processor's scheduling: the restart gap, wake-ups, the safety net, and a stop that waits for
// the batch in progress. Drain and sync are the host's jobs; here they record their calls.

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

function harness(options: { claimed?: number[]; safetyIntervalMs?: number; drainMs?: number } = {}) {
  const calls: string[] = [];
  let logged = '';
  const claims = [...(options.claimed ?? [])];
  const processor = new InboxProcessor({
    binding: 'github',
    log: createServeLog({ write: (chunk: string) => (logged += chunk) }, () => []),
    safetyIntervalMs: options.safetyIntervalMs ?? 0,
    pollIntervalMs: 60_000,
    async drain(gap, signal): Promise<DrainOutcome> {
      calls.push(`drain:${gap ?? '-'}`);
      if (options.drainMs)
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            clearTimeout(timer);
            calls.push('aborted');
            reject(signal.reason);
          };
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, options.drainMs);
          signal.addEventListener('abort', onAbort);
        });
      const claimed = claims.shift() ?? 0;
      calls.push(`drained:${claimed}`);
      const results: SyncResult[] = claimed > 0 ? [createSyncResult()] : [];
      return { claimed, completed: claimed, retried: 0, dead: 0, results };
    },
    async sync(): Promise<SyncResult> {
      calls.push('sync');
      return createSyncResult();
    },
  });
  return { processor, calls, logged: () => logged };
}

describe('InboxProcessor', () => {
  it('closes the restart gap with an incremental sync when the inbox is empty at start', async () => {
    const { processor, calls, logged } = harness();
    processor.start();
    await until(() => calls.includes('sync'));
    expect(calls).toEqual(['drain:restart', 'drained:0', 'sync']);
    expect(processor.health().lastSync).toMatchObject({ reason: 'restart', ok: true });
    expect(logged()).toContain('"event":"sync"');
    await processor.stop();
  });

  it('passes the restart gap to the first drain that claims deliveries, and no sync of its own', async () => {
    const { processor, calls } = harness({ claimed: [2] });
    processor.start();
    await until(() => calls.includes('drained:2'));
    processor.wake();
    await until(() => calls.length >= 4);
    expect(calls).toEqual(['drain:restart', 'drained:2', 'drain:-', 'drained:0']);
    expect(processor.health().lastProcessedAt).not.toBeNull();
    await processor.stop();
  });

  it('runs the safety-net sync on its interval', async () => {
    const { processor, calls } = harness({ claimed: [1], safetyIntervalMs: 30 });
    processor.start();
    await until(() => calls.filter((call) => call === 'sync').length >= 2);
    expect(calls.slice(0, 2)).toEqual(['drain:restart', 'drained:1']);
    await processor.stop();
  });

  it('stop() waits for the batch in progress and starts no other', async () => {
    const { processor, calls } = harness({ claimed: [3], drainMs: 100 });
    processor.start();
    await until(() => calls.includes('drain:restart'));
    processor.wake();
    await processor.stop();
    expect(calls).toEqual(['drain:restart', 'drained:3']);
  });

  it('stop() aborts a batch still running after the grace period', async () => {
    const { processor, calls } = harness({ claimed: [3], drainMs: 5_000 });
    processor.start();
    await until(() => calls.includes('drain:restart'));
    await processor.stop(50);
    expect(calls).toEqual(['drain:restart', 'aborted']);
  });

  it('abort() ends a graceful stop at once', async () => {
    const { processor, calls } = harness({ claimed: [3], drainMs: 5_000 });
    processor.start();
    await until(() => calls.includes('drain:restart'));
    const stopped = processor.stop(10_000);
    processor.abort();
    await stopped;
    expect(calls).toEqual(['drain:restart', 'aborted']);
  });
});
