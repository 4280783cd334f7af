import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { backoffDelayMs, defaultSleep, withRetry } from './sync-retry';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue } from './test-support/fixtures';

const transient = (retryAfterSeconds: number | null = null) =>
  new ConnectorRequestError('HTTP 503', { statusCode: 503, retryAfterSeconds });

describe('backoffDelayMs', () => {
  it('grows exponentially with equal jitter', () => {
    const low = { random: () => 0 };
    const high = { random: () => 0.999_999 };
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, transient(), low))).toEqual([125, 250, 500]);
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, transient(), high))).toEqual([250, 500, 1000]);
  });

  it('is capped', () => {
    expect(backoffDelayMs(20, transient(), { random: () => 0.999_999, maxDelayMs: 5000 })).toBe(5000);
  });

  it("honours the server's retryAfterSeconds (capped too)", () => {
    expect(backoffDelayMs(1, transient(7), { random: () => 0 })).toBe(7000);
    expect(backoffDelayMs(1, transient(0.25), { random: () => 0 })).toBe(250);
    expect(backoffDelayMs(1, transient(3600), { random: () => 0, maxDelayMs: 60_000 })).toBe(60_000);
  });
});

describe('withRetry', () => {
  it('makes at most 1 + maxRetryAttempts calls, sleeping between them', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const run = withRetry(
      async () => {
        calls += 1;
        throw transient();
      },
      { maxRetryAttempts: 2, random: () => 0, sleep: async (ms) => void sleeps.push(ms) },
    );
    await expect(run).rejects.toThrow('HTTP 503');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([125, 250]);
  });

  it('does not retry a non-retryable error or a foreign error', async () => {
    for (const error of [new ConnectorRequestError('bad', { statusCode: 422 }), new TypeError('x')]) {
      let calls = 0;
      const run = withRetry(
        async () => {
          calls += 1;
          throw error;
        },
        { maxRetryAttempts: 5, random: () => 0, sleep: async () => {} },
      );
      await expect(run).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = defaultSleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('engine retries', () => {
  it('waits Retry-After between pull attempts, through the injected sleep', async () => {
    const tracker = counting(new FakeTracker());
    tracker.seed(issue('A-1'));
    const list = tracker.listIssues.bind(tracker);
    let failures = 2;
    tracker.listIssues = async (query) => {
      if (failures-- > 0)
        throw new ConnectorRequestError('slow down', { statusCode: 429, retryAfterSeconds: 3 });
      return list(query);
    };
    const sleeps: number[] = [];
    const retries: number[] = [];
    const engine = new SyncEngine({
      connector: tracker,
      store: new InMemoryIssueStore(),
      policy: OwnershipPolicy.externalAuthoritative(),
      sleep: async (ms) => void sleeps.push(ms),
      onProgress: (event) => {
        if (event.type === 'retry') retries.push(event.attempt);
      },
    });
    const result = await engine.pull();
    expect(result.stats.pulledCreated).toBe(1);
    expect(sleeps).toEqual([3000, 3000]);
    expect(retries).toEqual([1, 2]);
  });
});
