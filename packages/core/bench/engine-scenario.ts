// One engine benchmark scenario in a fresh process (so its peak RSS is its own). Run by
// engine.bench.ts: `node --expose-gc --import tsx bench/engine-scenario.ts <scenario> <size>`;
// prints one JSON line with engine time (connector time excluded), calls, GC share and peak RSS.
import { existsSync, readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  cloneIssue,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  type IssueStore,
  OwnershipPolicy,
  SyncEngine,
  type TrackerConnector,
} from '@spec-kitty/core';
import { InMemoryConnector } from '../../connector-memory/dist/index.js';
import { FakeTracker } from '../src/sync/test-support/fake-tracker';

export const SCENARIOS = [
  'pull-cold',
  'sync-cold',
  'sync-noop',
  'sync-edits',
  'sync-noop-filter',
  'sync-noop-original',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ScenarioResult {
  scenario: Scenario;
  size: number;
  /** Wall time of the measured run. */
  totalSeconds: number;
  /** Wall time of replaying the run's connector calls (see measureOnce). */
  connectorSeconds: number;
  /** totalSeconds − connectorSeconds: the engine and the store. */
  engineSeconds: number;
  /**
   * Main-thread CPU time of the measured run minus that of replaying its connector calls: the
   * engine and the store's own work. (No-op scenarios: the in-loop figure, see noOpEngineCpuInLoop.)
   */
  engineCpuSeconds: number;
  /**
   * The same with the whole process's CPU time (all threads): it adds what V8 did on its helper
   * threads during the run, mostly optimising compiles of code a new world had left stale.
   */
  processCpuSeconds: number;
  calls: number;
  listCalls: number;
  writes: number;
  /** Share of the measured run spent in garbage collection. */
  gcShare: number;
  /** Peak resident set of the whole process (issues generated, connector seeded, store filled). */
  peakRssMb: number;
}

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

export function makeIssues(size: number): CanonicalIssue[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: size }, (_, index) =>
    createIssue({
      ref: createRef({ system: 'memory', workspace: 'bench', id: `B-${String(index).padStart(7, '0')}` }),
      title: `Issue ${index}`,
      body: `Body of issue ${index}`,
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      labels: ['bench'],
      priority: index % 5,
      updatedAt: new Date(start + index * 1000),
    }),
  );
}

const WRITE_METHODS = new Set(['createIssue', 'updateIssue', 'transitionIssue', 'upsertLink', 'addComment']);

/**
 * Whether the probe reads the CPU clock around each call (the SQLite bench's probe). A profile
 * turns it off (BENCH_CPU_PROBE=0): the clock reads would otherwise be a large share of its samples.
 */
const cpuProbe = process.env.BENCH_CPU_PROBE !== '0';

/**
 * Wraps a connector: records its calls and, while `control.probing`, counts them and sums the
 * time spent inside them. The engine scenarios only record (see measureOnce); the SQLite bench
 * uses the probe. The connectors benched
 * here are in-process and answer synchronously (their methods await nothing), so a call's time
 * is its synchronous run, up to the promise it returns. Timing up to when that promise is
 * awaited would count the engine's work in between as the connector's: the pull asks for the
 * next page, then merges the page it holds without awaiting anything (an in-memory store), and
 * a probe that timed until the page was awaited took that whole page's merge for connector time.
 */
export function timed<C extends TrackerConnector>(inner: C) {
  const stats = { calls: 0, listCalls: 0, writes: 0, seconds: 0, cpuSeconds: 0 };
  // `probing` off: calls pass straight through (no clocks, no counts); `recorded`: the calls made
  // (probed or not).
  const control = { probing: true, recorded: null as [string, unknown[]][] | null };
  const wrap = (target: C, property: string, method: (...a: unknown[]) => Promise<unknown>) => {
    const list = property === 'listIssues';
    const write = WRITE_METHODS.has(property);
    return (...args: unknown[]): Promise<unknown> => {
      control.recorded?.push([property, args]);
      if (!control.probing) return method.apply(target, args);
      stats.calls += 1;
      if (list) stats.listCalls += 1;
      if (write) stats.writes += 1;
      const started = performance.now();
      const cpu = cpuProbe ? process.cpuUsage() : undefined;
      try {
        return method.apply(target, args);
      } finally {
        stats.seconds += (performance.now() - started) / 1000;
        if (cpu !== undefined) {
          const used = process.cpuUsage(cpu);
          stats.cpuSeconds += (used.user + used.system) / 1e6;
        }
      }
    };
  };
  // A plain object, not a Proxy: the engine reads the connector's members on every call, and a
  // Proxy's `get` trap cost about 1 µs per page of a no-op sync here, charged to the engine (the
  // replay calls the connector directly). Methods are wrapped once; any other member (name,
  // workspace, symbol-keyed markers) is read through from the connector.
  const forwarding: Record<PropertyKey, unknown> = {};
  for (
    let owner: object | null = inner;
    owner !== null && owner !== Object.prototype;
    owner = Object.getPrototypeOf(owner)
  ) {
    for (const key of Reflect.ownKeys(owner)) {
      if (key === 'constructor' || Object.hasOwn(forwarding, key)) continue;
      const value = (inner as unknown as Record<PropertyKey, unknown>)[key];
      if (typeof value === 'function' && typeof key === 'string')
        forwarding[key] = wrap(inner, key, value as (...a: unknown[]) => Promise<unknown>);
      else
        Object.defineProperty(forwarding, key, {
          get: () => (inner as unknown as Record<PropertyKey, unknown>)[key],
          enumerable: true,
        });
    }
  }
  return {
    connector: forwarding as unknown as C,
    stats,
    control,
    reset: () => Object.assign(stats, { calls: 0, listCalls: 0, writes: 0, seconds: 0, cpuSeconds: 0 }),
  };
}

/** A store with only the IssueStore methods: the original's engine behaviour (no bases, no checkpoints). */
function plainStore(): IssueStore {
  const inner = new InMemoryIssueStore();
  return {
    listIssues: (query) => inner.listIssues(query),
    getIssue: (ref) => inner.getIssue(ref),
    upsertIssue: (issue) => inner.upsertIssue(issue),
    deleteIssue: (ref) => inner.deleteIssue(ref),
  };
}

const THREAD_CLOCK = '/proc/thread-self/schedstat';
/** Node 23.9+: the calling thread's CPU time, to the microsecond. */
const threadCpuUsage = (process as { threadCpuUsage?: () => { user: number; system: number } })
  .threadCpuUsage;
/** Whether this machine tells the calling thread's own CPU time. */
export const hasThreadClock = threadCpuUsage !== undefined || existsSync(THREAD_CLOCK);
const napping = new Int32Array(new SharedArrayBuffer(4));

/**
 * CPU seconds the calling (main) thread has run: the engine's own work, without what V8 does on
 * its helper threads meanwhile (optimising compiles, concurrent marking), which the process's
 * CPU time includes. Before Node 23.9, from Linux's per-thread schedstat, which the kernel brings
 * up to date only at a scheduler tick (every 4 ms here) or when the thread stops running: a nap
 * of 10 µs first makes it exact (to about 35 µs, the cost of a reading, the same in every
 * measurement). Falls back to the process's CPU time where neither exists.
 */
function mainThreadCpuSeconds(): number {
  if (threadCpuUsage !== undefined) {
    const used = threadCpuUsage.call(process);
    return (used.user + used.system) / 1e6;
  }
  if (!hasThreadClock) {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  }
  Atomics.wait(napping, 0, 0, 0.01);
  return Number(readFileSync(THREAD_CLOCK, 'utf8').split(' ', 1)[0]) / 1e9;
}

interface Clocked {
  seconds: number;
  gcMs: number;
  /** CPU of the whole process (all threads). */
  cpuSeconds: number;
  /** CPU of the main thread only. */
  threadCpuSeconds: number;
}

async function clocked(run: () => Promise<void>): Promise<Clocked> {
  const entries: { startTime: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      entries.push({ startTime: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const thread = mainThreadCpuSeconds();
  await run();
  const threadCpuSeconds = mainThreadCpuSeconds() - thread;
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  const gcMs = entries
    .filter((entry) => entry.startTime >= started && entry.startTime <= ended)
    .reduce((sum, entry) => sum + entry.duration, 0);
  return {
    seconds: (ended - started) / 1000,
    gcMs,
    cpuSeconds: (used.user + used.system) / 1e6,
    threadCpuSeconds,
  };
}

/** Page size of every listing (the engine's default before connectors declared a maximum). */
export const PAGE_SIZE = 100;

/**
 * Warm-up: the scenario first runs WARM_UP_ROUNDS times on worlds of this size, so the JIT has
 * compiled the hot paths (one round of 3,000 left the update path of "sync after 10% local
 * edits" partly unoptimised: at 10,000 issues the measured run was then mostly warm-up).
 */
export const WARM_UP_SIZE = Number(process.env.BENCH_WARM_UP ?? 5000);
export const WARM_UP_ROUNDS = Number(process.env.BENCH_WARM_UP_ROUNDS ?? 8);

/** Called around the measured run only (e.g. to profile it). */
export interface MeasureHooks {
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

export async function runScenario(
  scenario: Scenario,
  size: number,
  warmUp = true,
  hooks: MeasureHooks = {},
): Promise<ScenarioResult> {
  if (warmUp) {
    for (let round = 0; round < WARM_UP_ROUNDS; round++)
      await runScenario(scenario, Math.min(WARM_UP_SIZE, size), false);
  }
  const issues = makeIssues(size);
  const filtering = scenario === 'sync-noop-filter';
  let inner: FakeTracker | InMemoryConnector;
  if (filtering) {
    inner = new FakeTracker({ name: 'memory', filterBeforePaging: true });
    for (const issue of issues) inner.seed(issue);
  } else inner = seededMemory(issues);
  const { connector, control } = timed(inner as TrackerConnector);
  const original = scenario === 'sync-noop-original';
  const store = original ? plainStore() : new InMemoryIssueStore();
  const engine = new SyncEngine({ connector, store, policy, useSyncBase: !original });
  // An explicit page size, so call counts do not depend on the connector's declared maximum.
  const page = { limit: PAGE_SIZE };
  let measured: () => Promise<unknown>;
  if (scenario === 'pull-cold') measured = () => engine.pull(page);
  else if (scenario === 'sync-cold') measured = () => engine.sync(page);
  else {
    await engine.sync(page);
    if (scenario === 'sync-edits') {
      // 10% of the issues edited locally (every tenth), so the sync pushes them.
      for (let index = 0; index < issues.length; index += Number(process.env.BENCH_EDIT_EVERY ?? 10)) {
        const local = await store.getIssue((issues[index] as CanonicalIssue).ref);
        if (local) await store.upsertIssue(cloneIssue(local, { title: `${local.title} (edited)` }));
      }
    }
    measured = () => engine.sync(page);
  }
  const twin = () => {
    if (filtering) throw new Error(`${scenario} wrote to the tracker: no twin to replay its writes on`);
    return seededMemory(issues);
  };
  // A no-op sync changes nothing, so it can be measured several times in this process (the
  // least engine CPU kept). Its engine CPU then comes from a loop (noOpEngineCpuInLoop): a single
  // no-op run minus its replay is within the clocks' noise (down to 0 at 100,000 issues).
  const rounds = scenario.startsWith('sync-noop') ? NO_OP_ROUNDS : 1;
  let kept: ScenarioResult | null = null;
  for (let round = 0; round < rounds; round++) {
    const result = await measureOnce(
      scenario,
      size,
      measured,
      inner as TrackerConnector,
      twin,
      control,
      hooks,
    );
    if (kept === null || result.engineCpuSeconds < kept.engineCpuSeconds) kept = result;
  }
  // Not in warm-up rounds: their no-op loops would only add minutes to the run.
  if (rounds > 1 && kept !== null && warmUp) {
    const inLoop = await noOpEngineCpuInLoop(measured, inner as TrackerConnector, control, kept.totalSeconds);
    kept.engineCpuSeconds = inLoop.thread;
    kept.processCpuSeconds = inLoop.process;
  }
  return kept as ScenarioResult;
}

type Recorded = [string, unknown[]][];
type CallControl = { probing: boolean; recorded: Recorded | null };

/** The memory connector holding `issues`, as the setup leaves it (seeding logs no events). */
function seededMemory(issues: readonly CanonicalIssue[]): InMemoryConnector {
  const connector = new InMemoryConnector({ name: 'memory', workspace: 'bench' });
  for (const issue of issues) connector.seed(issue);
  return connector;
}

/** A forced GC, then a pause: its background sweeping would otherwise run (and count) in what follows. */
async function afterFullGc(pauseMs: number): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
}

/** What `body` returns, and the connector calls it made, recorded without the probe. */
async function recordCalls<T>(
  control: CallControl,
  body: () => Promise<T>,
): Promise<{ value: T; calls: Recorded }> {
  const calls: Recorded = [];
  control.probing = false;
  control.recorded = calls;
  try {
    return { value: await body(), calls };
  } finally {
    control.probing = true;
    control.recorded = null;
  }
}

async function replay(connector: TrackerConnector, calls: Recorded): Promise<void> {
  const target = connector as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [method, args] of calls)
    await (target[method] as (...a: unknown[]) => Promise<unknown>).apply(connector, args);
}

/**
 * One measured run. The connector calls are recorded, not timed (two CPU clock reads per call cost
 * about as much as the memory connector's own answer, and varied by more than the engine's work in
 * a run of 1,000 updates), then replayed: on the same connector when the run only read, else on a
 * twin seeded with the same issues (the setup only read, so the twin is in the state the run
 * found). Engine = run − replay, in wall time, main-thread CPU and process CPU.
 */
async function measureOnce(
  scenario: Scenario,
  size: number,
  measured: () => Promise<unknown>,
  inner: TrackerConnector,
  twin: () => InMemoryConnector,
  control: CallControl,
  hooks: MeasureHooks,
): Promise<ScenarioResult> {
  await afterFullGc(50);
  const { value: run, calls } = await recordCalls(control, async () => {
    await hooks.before?.();
    const clockedRun = await clocked(async () => {
      await measured();
    });
    await hooks.after?.();
    return clockedRun;
  });
  // Before any twin exists: the figure is the scenario's, not the measurement's.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const writes = calls.filter(([method]) => WRITE_METHODS.has(method)).length;
  const target = writes === 0 ? inner : twin();
  await afterFullGc(50);
  const replayed = await clocked(() => replay(target, calls));
  if (target instanceof InMemoryConnector && target !== inner) {
    // The twin must have logged the same events (seeding logs none) or it replayed something else.
    const live = (inner as InMemoryConnector).events().length;
    if (target.events().length !== live)
      throw new Error(`the replay logged ${target.events().length} events, the run ${live}`);
  }
  return {
    scenario,
    size,
    totalSeconds: run.seconds,
    connectorSeconds: replayed.seconds,
    engineSeconds: Math.max(run.seconds - replayed.seconds, 0),
    engineCpuSeconds: Math.max(run.threadCpuSeconds - replayed.threadCpuSeconds, 0),
    processCpuSeconds: Math.max(run.cpuSeconds - replayed.cpuSeconds, 0),
    calls: calls.length,
    listCalls: calls.filter(([method]) => method === 'listIssues').length,
    writes,
    gcShare: run.gcMs / 1000 / run.seconds,
    peakRssMb,
  };
}

/**
 * The engine CPU of one no-op sync measured in a loop (main thread, and whole process): the CPU of a loop of
 * back-to-back syncs, minus that of replaying the connector calls one of them made (all reads, so
 * replaying them on the same connector changes nothing) the same number of times, divided by the
 * count. The least of up to NO_OP_ROUNDS rounds of each is kept (fewer when a sync takes long).
 * A single no-op sync of 10,000 issues is a fraction of a millisecond, near the noise of a run
 * minus its replay (each side carries its own clock reads, about 35 µs on Node 20).
 */
async function noOpEngineCpuInLoop(
  measured: () => Promise<unknown>,
  inner: TrackerConnector,
  control: CallControl,
  seconds: number,
): Promise<{ thread: number; process: number }> {
  const { calls } = await recordCalls(control, measured);
  const writes = calls.filter(([method]) => WRITE_METHODS.has(method));
  if (writes.length > 0)
    throw new Error(`a no-op sync wrote (${writes.map(([method]) => method).join(', ')})`);
  // Enough syncs per loop for about 50 ms of CPU, and rounds for about 2 s in all (at least 3).
  const count = Math.max(5, Math.ceil(0.05 / Math.max(seconds, 1e-5)));
  const rounds = Math.min(NO_OP_ROUNDS, Math.max(3, Math.ceil(1 / (count * Math.max(seconds, 1e-5)))));
  const cpuOf = async (body: () => Promise<void>, least: { thread: number; process: number }) => {
    await afterFullGc(20);
    const { threadCpuSeconds, cpuSeconds } = await clocked(async () => {
      for (let run = 0; run < count; run++) await body();
    });
    least.thread = Math.min(least.thread, threadCpuSeconds / count);
    least.process = Math.min(least.process, cpuSeconds / count);
  };
  const syncs = { thread: Number.POSITIVE_INFINITY, process: Number.POSITIVE_INFINITY };
  const replays = { thread: Number.POSITIVE_INFINITY, process: Number.POSITIVE_INFINITY };
  // Calls pass straight through the wrapper during the loops (no clocks, nothing recorded).
  control.probing = false;
  try {
    for (let round = 0; round < rounds; round++) {
      await cpuOf(async () => void (await measured()), syncs);
      await cpuOf(() => replay(inner, calls), replays);
    }
  } finally {
    control.probing = true;
  }
  return {
    thread: Math.max(syncs.thread - replays.thread, 0),
    process: Math.max(syncs.process - replays.process, 0),
  };
}

/** Measured runs of a no-op scenario in one process (the least engine CPU is kept). */
export const NO_OP_ROUNDS = Number(process.env.BENCH_NO_OP_ROUNDS ?? 20);

if (import.meta.url === `file://${process.argv[1]}`) {
  const [scenario, size] = process.argv.slice(2);
  if (!SCENARIOS.includes(scenario as Scenario)) throw new Error(`unknown scenario ${scenario}`);
  console.log(JSON.stringify(await runScenario(scenario as Scenario, Number(size))));
}
