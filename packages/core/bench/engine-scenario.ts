// One engine benchmark scenario in a fresh process (so its peak RSS is its own). Run by
// engine.bench.ts: `node --expose-gc --import tsx bench/engine-scenario.ts <scenario> <size>`;
// prints one JSON line with engine time (connector time excluded), calls, GC share and peak RSS.
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
  /** Time spent inside connector calls during the measured run. */
  connectorSeconds: number;
  /** totalSeconds − connectorSeconds: the engine and the store. */
  engineSeconds: number;
  /**
   * CPU time (user + system) of the measured run minus that of connector calls: the engine and
   * the store's own work, much less sensitive than wall time to other processes on the machine.
   */
  engineCpuSeconds: number;
  /**
   * No-op scenarios only: the engine CPU as the probe around each call measured it (the least of
   * NO_OP_ROUNDS single runs), the method of earlier rounds; `engineCpuSeconds` is then the
   * in-loop figure (see noOpEngineCpuInLoop).
   */
  probedEngineCpuSeconds?: number;
  calls: number;
  listCalls: number;
  writes: number;
  /** Share of the measured run spent in garbage collection. */
  gcShare: number;
  /** The probe's own CPU cost per connector call (microseconds), subtracted from the engine's. */
  probeMicrosPerCall: number;
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
 * Whether the probe reads the CPU clock around each call. A profile turns it off
 * (BENCH_CPU_PROBE=0): the clock reads would otherwise be a large share of its samples.
 */
const cpuProbe = process.env.BENCH_CPU_PROBE !== '0';

/**
 * Wraps a connector: counts calls and sums the time spent inside them. The connectors benched
 * here are in-process and answer synchronously (their methods await nothing), so a call's time
 * is its synchronous run, up to the promise it returns. Timing up to when that promise is
 * awaited would count the engine's work in between as the connector's: the pull asks for the
 * next page, then merges the page it holds without awaiting anything (an in-memory store), and
 * a probe that timed until the page was awaited took that whole page's merge for connector time.
 */
export function timed<C extends TrackerConnector>(inner: C) {
  const stats = { calls: 0, listCalls: 0, writes: 0, seconds: 0, cpuSeconds: 0 };
  // `probing` off: calls pass straight through (no clocks, no counts); `recorded`: the calls made.
  const control = { probing: true, recorded: null as [string, unknown[]][] | null };
  // One wrapper per method, built on first use: the probe itself should cost the run little.
  const wrappers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const wrap = (target: C, property: string, method: (...a: unknown[]) => Promise<unknown>) => {
    const list = property === 'listIssues';
    const write = WRITE_METHODS.has(property);
    return (...args: unknown[]): Promise<unknown> => {
      if (!control.probing) return method.apply(target, args);
      control.recorded?.push([property, args]);
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
  const proxy = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor')
        return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = wrap(target, property, value as (...a: unknown[]) => Promise<unknown>);
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
  return {
    connector: proxy as C,
    stats,
    control,
    reset: () => Object.assign(stats, { calls: 0, listCalls: 0, writes: 0, seconds: 0, cpuSeconds: 0 }),
  };
}

/**
 * CPU seconds the probe of `timed` adds to each call outside the interval it measures (so it
 * would be counted as engine time): calibrated in this process on a method that does nothing,
 * as total CPU of N probed calls minus the CPU the probe attributes to the calls themselves.
 */
async function probeOverheadPerCall(): Promise<number> {
  const idle = { async ping() {} } as unknown as TrackerConnector & { ping(): Promise<void> };
  const { connector, stats, reset } = timed(idle);
  const calls = 20_000;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    reset();
    const cpu = process.cpuUsage();
    for (let call = 0; call < calls; call++) await connector.ping();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, ((used.user + used.system) / 1e6 - stats.cpuSeconds) / calls);
  }
  return Math.max(best, 0);
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

async function gcMillisDuring(
  run: () => Promise<void>,
): Promise<{ seconds: number; gcMs: number; cpuSeconds: number }> {
  const entries: { startTime: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      entries.push({ startTime: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const started = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  const gcMs = entries
    .filter((entry) => entry.startTime >= started && entry.startTime <= ended)
    .reduce((sum, entry) => sum + entry.duration, 0);
  return { seconds: (ended - started) / 1000, gcMs, cpuSeconds: (used.user + used.system) / 1e6 };
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
  const inner = filtering
    ? new FakeTracker({ name: 'memory', filterBeforePaging: true })
    : new InMemoryConnector({ name: 'memory', workspace: 'bench' });
  for (const issue of issues) inner.seed(issue);
  const { connector, stats, reset, control } = timed(inner as TrackerConnector);
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
  (globalThis as { gc?: () => void }).gc?.();
  const overhead = await probeOverheadPerCall();
  // A no-op sync changes nothing, so it can be measured several times in this process (the
  // least engine CPU kept): a run of a few milliseconds is otherwise mostly noise.
  const rounds = scenario.startsWith('sync-noop') ? NO_OP_ROUNDS : 1;
  let kept: ScenarioResult | null = null;
  for (let round = 0; round < rounds; round++) {
    // After a forced GC, its background sweeping would otherwise run (and count) during the run.
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    reset();
    await hooks.before?.();
    const { seconds, gcMs, cpuSeconds } = await gcMillisDuring(async () => {
      await measured();
    });
    await hooks.after?.();
    const result: ScenarioResult = {
      scenario,
      size,
      totalSeconds: seconds,
      connectorSeconds: stats.seconds,
      engineSeconds: Math.max(seconds - stats.seconds, 0),
      engineCpuSeconds: Math.max(cpuSeconds - stats.cpuSeconds - stats.calls * overhead, 0),
      probeMicrosPerCall: overhead * 1e6,
      calls: stats.calls,
      listCalls: stats.listCalls,
      writes: stats.writes,
      gcShare: gcMs / 1000 / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    if (kept === null || result.engineCpuSeconds < kept.engineCpuSeconds) kept = result;
  }
  // Not in warm-up rounds: their no-op loops would only add minutes to the run.
  if (rounds > 1 && kept !== null && warmUp) {
    kept.probedEngineCpuSeconds = kept.engineCpuSeconds;
    kept.engineCpuSeconds = await noOpEngineCpuInLoop(
      measured,
      inner as TrackerConnector,
      control,
      kept.totalSeconds,
    );
  }
  return kept as ScenarioResult;
}

/**
 * The engine CPU of one no-op sync without the per-call probe: the CPU of a loop of back-to-back
 * syncs, minus that of replaying the connector calls one of them made (all reads, so replaying
 * them on the same connector changes nothing) the same number of times, divided by the count.
 * The least of up to NO_OP_ROUNDS rounds of each is kept (fewer when a sync takes long). The probe's clock reads cost about a
 * microsecond per call, which at 100 calls is most of a no-op sync of 10,000 issues.
 */
async function noOpEngineCpuInLoop(
  measured: () => Promise<unknown>,
  inner: TrackerConnector,
  control: { probing: boolean; recorded: [string, unknown[]][] | null },
  seconds: number,
): Promise<number> {
  control.recorded = [];
  await measured();
  const calls = control.recorded;
  control.recorded = null;
  const writes = calls.filter(([method]) => WRITE_METHODS.has(method));
  if (writes.length > 0)
    throw new Error(`a no-op sync wrote (${writes.map(([method]) => method).join(', ')})`);
  // Enough syncs per loop for about 50 ms of CPU, and rounds for about 2 s in all (at least 3).
  const count = Math.max(5, Math.ceil(0.05 / Math.max(seconds, 1e-5)));
  const rounds = Math.min(NO_OP_ROUNDS, Math.max(3, Math.ceil(1 / (count * Math.max(seconds, 1e-5)))));
  const cpuOf = async (body: () => Promise<void>): Promise<number> => {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cpu = process.cpuUsage();
    for (let run = 0; run < count; run++) await body();
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1e6 / count;
  };
  const target = inner as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  let syncs = Number.POSITIVE_INFINITY;
  let replays = Number.POSITIVE_INFINITY;
  control.probing = false;
  try {
    for (let round = 0; round < rounds; round++) {
      syncs = Math.min(syncs, await cpuOf(async () => void (await measured())));
      replays = Math.min(
        replays,
        await cpuOf(async () => {
          for (const [method, args] of calls)
            await (target[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
        }),
      );
    }
  } finally {
    control.probing = true;
  }
  return Math.max(syncs - replays, 0);
}

/** Measured runs of a no-op scenario in one process (the least engine CPU is kept). */
export const NO_OP_ROUNDS = Number(process.env.BENCH_NO_OP_ROUNDS ?? 20);

if (import.meta.url === `file://${process.argv[1]}`) {
  const [scenario, size] = process.argv.slice(2);
  if (!SCENARIOS.includes(scenario as Scenario)) throw new Error(`unknown scenario ${scenario}`);
  console.log(JSON.stringify(await runScenario(scenario as Scenario, Number(size))));
}
