// Per-operation deadlines at a per-run cost (issue 16): a run arms one timer, not one per
// operation, never calls AbortSignal.any, and leaves no listener on the host's signal, while
// every operation still aborts at its own deadline. Counts calls; never times anything.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorTimeoutError } from '../errors/errors';
import { requestScopeOf } from '../http/request-scope';
import { cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { OperationDeadlines, withOperationSignal } from './operation-deadlines';
import { SyncEngine } from './sync-engine';
import { createOperationDeadlines, withRetry } from './sync-retry';
import { FakeTracker } from './test-support/fake-tracker';
import { issue } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function editedWorld(size: number) {
  const tracker = new FakeTracker();
  for (let index = 0; index < size; index++) tracker.seed(issue(`I-${String(index).padStart(4, '0')}`));
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({ connector: tracker, store, policy: shared });
  await engine.sync({ limit: 10 });
  for (const local of await store.listIssues()) {
    await store.upsertIssue(cloneIssue(local, { title: `${local.title} (edited)` }));
  }
  return engine;
}

describe('a run shares its deadline machinery across operations', () => {
  it('arms one timer for 20 pages and 200 updates, and calls no AbortSignal.any with a host signal', async () => {
    const engine = await editedWorld(200);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const any = vi.spyOn(AbortSignal, 'any');
    const host = new AbortController();
    const result = await engine.sync({ limit: 10, signal: host.signal });
    expect(result.stats.pushedUpdated).toBe(200);
    expect(timers).toHaveBeenCalledTimes(1);
    expect(any).not.toHaveBeenCalled();
    // Nothing stays attached to a host signal that outlives the run (a worker's, a CLI's).
    expect(getEventListeners(host.signal, 'abort')).toHaveLength(0);
  });

  it("the run's timer does not keep the process alive once the run is over", async () => {
    const engine = await editedWorld(30);
    const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timeouts();
    await engine.sync({ limit: 10 });
    expect(timeouts()).toBe(before);
  });

  it('a run sets its timer up once: no ref or unref per operation', async () => {
    const engine = await editedWorld(200);
    const probe = setTimeout(() => {}, 0);
    const timeoutProto = Object.getPrototypeOf(probe) as { ref(): unknown; unref(): unknown };
    clearTimeout(probe);
    const refs = vi.spyOn(timeoutProto, 'ref');
    const unrefs = vi.spyOn(timeoutProto, 'unref');
    const host = new AbortController();
    const adds = vi.spyOn(host.signal, 'addEventListener');
    const result = await engine.sync({ limit: 10, signal: host.signal });
    expect(result.stats.pushedUpdated).toBe(200);
    expect(refs).not.toHaveBeenCalled();
    expect(unrefs).not.toHaveBeenCalled();
    // One listener for the run's 220 operations, gone with the run.
    expect(adds).toHaveBeenCalledTimes(1);
    expect(getEventListeners(host.signal, 'abort')).toHaveLength(0);
  });

  it('a run that throws still clears its timer and its listener on the host signal', async () => {
    const engine = await editedWorld(30);
    const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timeouts();
    const host = new AbortController();
    const reason = new Error('host stopped');
    const pending = engine.sync({
      limit: 10,
      signal: host.signal,
      onProgress: (event) => {
        if (event.type === 'page' && event.phase === 'pull') host.abort(reason);
      },
    });
    await expect(pending).rejects.toBe(reason);
    expect(timeouts()).toBe(before);
    expect(getEventListeners(host.signal, 'abort')).toHaveLength(0);
  });

  it("each operation's signal carries the run's request scope", async () => {
    const tracker = new FakeTracker();
    tracker.seed(issue('I-1'));
    const seen: (AbortSignal | undefined)[] = [];
    const list = tracker.listIssues.bind(tracker);
    tracker.listIssues = async (query) => {
      seen.push(query.signal);
      return list(query);
    };
    const engine = new SyncEngine({
      connector: tracker,
      store: new InMemoryIssueStore(),
      policy: shared,
      retryMaxDelayMs: 5000,
      requestTimeoutMs: 1234,
    });
    await engine.pull();
    expect(seen).toHaveLength(1);
    expect(requestScopeOf(seen[0])).toEqual({
      callerRetries: true,
      maxRetryAfterSeconds: 5,
      requestTimeoutMs: 1234,
    });
  });

  it('a host abort ends the operation in flight with the host reason, even if the connector ignores it', async () => {
    const tracker = new FakeTracker();
    tracker.seed(issue('I-1'));
    let started!: () => void;
    const listing = new Promise<void>((resolve) => {
      started = resolve;
    });
    tracker.listIssues = () => {
      started();
      return new Promise(() => {});
    };
    const engine = new SyncEngine({ connector: tracker, store: new InMemoryIssueStore(), policy: shared });
    const host = new AbortController();
    const pending = engine.pull({ signal: host.signal });
    await listing;
    const reason = new Error('host stopped');
    host.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('an operation creates its signal only when the connector reads it', () => {
  /** Counts AbortControllers constructed while `run` runs. */
  async function controllersDuring(run: () => Promise<unknown>): Promise<number> {
    const Original = globalThis.AbortController;
    let created = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        created += 1;
      }
    };
    try {
      await run();
    } finally {
      globalThis.AbortController = Original;
    }
    return created;
  }

  it('a sync through a connector that never reads the signal (in-process) creates no AbortController', async () => {
    const engine = await editedWorld(50);
    let result: Awaited<ReturnType<typeof engine.sync>> | undefined;
    const created = await controllersDuring(async () => {
      result = await engine.sync({ limit: 10 });
    });
    expect(result?.stats.pushedUpdated).toBe(50);
    expect(created).toBe(0);
  });

  it('withOperationSignal copies the options (one query serves every attempt) and creates no signal until read', async () => {
    const deadlines = createOperationDeadlines({}, undefined);
    const operation = deadlines.begin(1000, () => new Error('late'));
    const query = { updatedSince: null, cursor: 'c', limit: 10 };
    let options: ReturnType<typeof withOperationSignal<typeof query>> | undefined;
    const created = await controllersDuring(async () => {
      options = withOperationSignal(query, operation);
    });
    expect(created).toBe(0);
    // The query itself is not redefined, so it needs no copy before each call.
    expect(Object.keys(query)).toEqual(['updatedSince', 'cursor', 'limit']);
    expect(options).not.toBe(query);
    expect(options?.cursor).toBe('c');
    expect(options?.limit).toBe(10);
    expect(Object.keys(options ?? {}).sort()).toEqual(['cursor', 'limit', 'signal', 'updatedSince']);
    // Read (or spread) once, the signal is the operation's own.
    expect({ ...options }.signal).toBe(operation.signal);
    deadlines.end(operation);
    deadlines.close();
  });

  it('a connector that reads it gets one per operation, already aborted if the deadline passed first', async () => {
    vi.useFakeTimers();
    const tracker = new FakeTracker();
    tracker.seed(issue('I-1'));
    let options!: { signal?: AbortSignal };
    tracker.listIssues = (query) => {
      options = query;
      return new Promise(() => {});
    };
    const engine = new SyncEngine({
      connector: tracker,
      store: new InMemoryIssueStore(),
      policy: shared,
      operationDeadlineMs: 100,
    });
    const pending = engine.pull();
    await vi.advanceTimersByTimeAsync(100);
    const result = await pending;
    expect(result.failures.map((failure) => failure.operation)).toEqual(['pull_page']);
    const late = options.signal;
    expect(late?.aborted).toBe(true);
    expect(ConnectorTimeoutError.isInstance(late?.reason)).toBe(true);
    expect(requestScopeOf(late)?.callerRetries).toBe(true);
    // Spreading the options (as a connector may) passes the same signal on.
    expect({ ...options }.signal).toBe(late);
  });
});

describe('deadlines still hold per operation', () => {
  const scope = { callerRetries: true, maxRetryAfterSeconds: 30, requestTimeoutMs: null };

  it('a later operation gets its full deadline, not what is left of the timer armed for an earlier one', async () => {
    vi.useFakeTimers();
    const deadlines = createOperationDeadlines({}, undefined);
    const options = {
      maxRetryAttempts: 0,
      sleep: async () => {},
      random: () => 0,
      deadlineMs: 1000,
      operation: 'pull_page',
      deadlines,
    };
    await withRetry(async () => 'first', options);
    await vi.advanceTimersByTimeAsync(900);
    const hung = withRetry(() => new Promise<never>(() => {}), options).catch((error: unknown) => error);
    let settled = false;
    void hung.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(500); // the first operation's deadline passes: nothing happens
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(500); // 1000 ms after the second one began
    const error = await hung;
    expect(ConnectorTimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^pull_page did not finish within its 1000 ms deadline/);
  });

  it('overlapping operations each abort at their own deadline', async () => {
    vi.useFakeTimers();
    const deadlines = new OperationDeadlines(undefined, scope);
    const long = deadlines.begin(100, () => new Error('long'));
    const short = deadlines.begin(50, () => new Error('short'));
    await vi.advanceTimersByTimeAsync(50);
    expect(short.signal.aborted).toBe(true);
    expect((short.expired as Error).message).toBe('short');
    expect(long.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    expect((long.expired as Error).message).toBe('long');
    deadlines.end(long);
    deadlines.end(short);
  });

  it('an operation that ended is not aborted by a later deadline', async () => {
    vi.useFakeTimers();
    const deadlines = new OperationDeadlines(undefined, scope);
    const done = deadlines.begin(50, () => new Error('done'));
    deadlines.end(done);
    const next = deadlines.begin(100, () => new Error('next'));
    await vi.advanceTimersByTimeAsync(100);
    expect(done.signal.aborted).toBe(false);
    expect(next.signal.aborted).toBe(true);
    deadlines.end(next);
    deadlines.close();
  });
});
