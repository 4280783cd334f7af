import { FailureClass, SyncOperation, type SyncResult } from '@spec-kitty/core';
import { createSyncFailure, createSyncResult } from '@spec-kitty/core/internal';
import { describe, expect, it } from 'vitest';
import { createServeLog } from './serve-log';
import { type DrainOutcome, gapRetryDelayMs, InboxProcessor } from './serve-processor';

// The processor's scheduling: the restart gap, wake-ups, the safety net, and a stop that waits for
// the batch in progress. Drain and sync are the host's jobs; here they record their calls.

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** How a gap sync (the restart sync, or the one a drain's first batch runs) ends. */
type GapOutcome = 'ok' | 'throws' | 'listing fails' | 'stopped';

const listingFailure = () =>
  createSyncFailure({
    issueRef: null,
    operation: SyncOperation.PULL_PAGE,
    failureClass: FailureClass.TRANSIENT,
    message: 'GitHub answered 503',
    retryable: true,
  });

/** A sync result as `outcome` leaves it (`eventsGap`: the gap a `syncEvents` run was given). */
function gapResult(outcome: GapOutcome, eventsGap?: 'restart' | null): SyncResult {
  if (outcome === 'throws') throw new Error('tracker unreachable: connect ECONNREFUSED');
  const result = createSyncResult(outcome === 'listing fails' ? { failures: [listingFailure()] } : {});
  if (eventsGap !== undefined) {
    // A run the tracker stopped before its listing ran no gap sync.
    const gapSync = outcome === 'stopped' ? null : eventsGap;
    result.events = { received: 1, duplicates: 0, skipped: 0, issues: 1, gapSync };
  }
  return result;
}

function harness(
  options: {
    claimed?: number[];
    safetyIntervalMs?: number;
    drainMs?: number;
    gapOutcomes?: GapOutcome[];
    gapRetryBaseMs?: number;
  } = {},
) {
  const calls: string[] = [];
  let logged = '';
  const claims = [...(options.claimed ?? [])];
  const gapOutcomes = [...(options.gapOutcomes ?? [])];
  const processor = new InboxProcessor({
    binding: 'github',
    log: createServeLog({ write: (chunk: string) => (logged += chunk) }, () => []),
    safetyIntervalMs: options.safetyIntervalMs ?? 0,
    pollIntervalMs: 60_000,
    gapRetryBaseMs: options.gapRetryBaseMs ?? 5_000,
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
      const results: SyncResult[] =
        claimed > 0 ? [gapResult(gap === null ? 'ok' : (gapOutcomes.shift() ?? 'ok'), gap)] : [];
      return { claimed, completed: claimed, retried: 0, dead: 0, results };
    },
    async sync(): Promise<SyncResult> {
      const outcome = gapOutcomes.shift() ?? 'ok';
      calls.push(outcome === 'ok' ? 'sync' : `sync:${outcome}`);
      return gapResult(outcome);
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

  it('keeps the restart gap open while its sync fails, retries it after a growing backoff, and closes it on success', async () => {
    const { processor, calls, logged } = harness({
      gapOutcomes: ['throws', 'listing fails', 'ok'],
      gapRetryBaseMs: 200,
    });
    processor.start();
    await until(() => calls.includes('sync:throws'));
    await until(() => processor.health().restartGap.failedAttempts === 1);
    expect(processor.health().restartGap).toMatchObject({ open: true, failedAttempts: 1 });
    expect(processor.health().restartGap.nextAttemptAt).not.toBeNull();
    expect(processor.health().lastError).toContain('ECONNREFUSED');
    // A look at the inbox during the backoff does not try the gap again.
    processor.wake();
    await until(() => calls.includes('drain:-'));
    expect(calls).toEqual(['drain:restart', 'drained:0', 'sync:throws', 'drain:-', 'drained:0']);
    // After the backoff: another attempt, whose listing fails; then a successful one.
    await until(() => calls.includes('sync'), 5_000);
    expect(calls.slice(5)).toEqual([
      'drain:restart',
      'drained:0',
      'sync:listing fails',
      'drain:restart',
      'drained:0',
      'sync',
    ]);
    expect(processor.health().restartGap).toEqual({ open: false, failedAttempts: 0, nextAttemptAt: null });
    expect(processor.health().lastSync).toMatchObject({ reason: 'restart', ok: true });
    const failures = logged()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === 'failed');
    expect(failures).toMatchObject([
      { job: 'restart sync', gap: 'restart', attempt: 1, error: 'tracker unreachable: connect ECONNREFUSED' },
      {
        job: 'restart sync',
        gap: 'restart',
        attempt: 2,
        failures: 1,
        reason: 'pull_page[<none>]: GitHub answered 503',
      },
    ]);
    // The second wait doubled the first (the log's `time` is read from another clock call than
    // `nextAttemptAt`, so their difference may be a millisecond short: compare the logged wait).
    expect(failures.map((line) => line.retryInMs)).toEqual([200, 400]);
    for (const line of failures) {
      const gap = Date.parse(String(line.nextAttemptAt)) - Date.parse(String(line.time));
      expect(Math.abs(gap - Number(line.retryInMs))).toBeLessThan(1_000);
    }
    // Closed: later looks at the inbox carry no gap.
    processor.wake();
    await until(() => calls.length >= 13);
    expect(calls.slice(11)).toEqual(['drain:-', 'drained:0']);
    await processor.stop();
  });

  it("keeps the gap open when the first drain's gap sync was stopped or its listing failed, and passes it to a later drain", async () => {
    const { processor, calls, logged } = harness({
      claimed: [2, 1, 1, 1],
      gapOutcomes: ['stopped', 'listing fails', 'ok'],
      gapRetryBaseMs: 20,
    });
    processor.start();
    await until(() => calls.filter((call) => call === 'drain:restart').length >= 3, 5_000);
    await until(() => !processor.health().restartGap.open);
    expect(calls).toEqual([
      'drain:restart',
      'drained:2',
      'drain:restart',
      'drained:1',
      'drain:restart',
      'drained:1',
    ]);
    expect(processor.health().lastSync).toMatchObject({ reason: 'restart', ok: true });
    processor.wake();
    await until(() => calls.length >= 8);
    const reasons = logged()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === 'failed')
      .map((line) => [line.job, line.attempt, line.reason]);
    expect(reasons).toEqual([
      ['drain', 1, 'the tracker stopped the run before its incremental sync'],
      ['drain', 2, 'pull_page[<none>]: GitHub answered 503'],
    ]);
    expect(calls.slice(6)).toEqual(['drain:-', 'drained:1']);
    await processor.stop();
  });

  it('a safety-net sync that succeeds closes a gap left open', async () => {
    const { processor, calls } = harness({
      gapOutcomes: ['throws', 'ok'],
      gapRetryBaseMs: 60_000,
      safetyIntervalMs: 40,
    });
    processor.start();
    await until(() => calls.includes('sync'));
    expect(calls.slice(0, 4)).toEqual(['drain:restart', 'drained:0', 'sync:throws', 'sync']);
    expect(processor.health().restartGap.open).toBe(false);
    expect(processor.health().lastSync).toMatchObject({ reason: 'safety', ok: true });
    await processor.stop();
  });

  it('waits 5 s after a first failed gap sync, doubling up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((failures) => gapRetryDelayMs(failures))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
  });
});
