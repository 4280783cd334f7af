// Engine benchmark (issue 16): pull and sync of 10k and 100k issues through the reference memory
// connector into InMemoryIssueStore. Every scenario runs in a fresh process (its own peak RSS),
// BENCH_REPEAT times (best engine time kept). Engine time excludes the connector's (its calls
// are recorded and replayed, see engine-scenario.ts). With BENCH_BASELINE=<checkout of an
// earlier commit, built>, the same scenarios run against it in the same run, for before/after
// ratios. Run: `pnpm bench` (after a build).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, machineLine, markdownTable, printTable, writeDocSection } from './bench-report';
import {
  hasThreadClock,
  NO_OP_ROUNDS,
  PAGE_SIZE,
  type Scenario,
  type ScenarioResult,
  WARM_UP_ROUNDS,
  WARM_UP_SIZE,
} from './engine-scenario';

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : null;
/** A second, more recent build to compare with (e.g. main before the change being measured). */
const PREVIOUS = process.env.BENCH_PREVIOUS ? resolve(process.env.BENCH_PREVIOUS) : null;

const LABELS: Record<Scenario, string> = {
  'pull-cold': 'pull, cold',
  'sync-cold': 'sync, cold',
  'sync-noop': 'sync, no-op',
  'sync-edits': 'sync after 10% local edits',
  'sync-noop-filter': 'sync, no-op (server-side filter)',
  'sync-noop-original': 'sync, no-op, original mode',
};
const SCENARIOS = (process.env.BENCH_SCENARIOS?.split(',') ?? Object.keys(LABELS)) as Scenario[];

/** Issue 16's figures for the Python original on the reference machine (engine + store time). */
const PYTHON_ORIGINAL: Partial<Record<`${Scenario}:${number}`, number>> = {
  'pull-cold:10000': 0.04,
  'pull-cold:100000': 0.65,
  'sync-cold:10000': 0.228,
};

function runChild(coreDir: string, scenario: Scenario, size: number): ScenarioResult {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(coreDir, 'bench/engine-scenario.ts'), scenario, String(size)],
    { cwd: coreDir, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  if (child.status !== 0) throw new Error(`${scenario} ${size} failed in ${coreDir}:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ScenarioResult;
}

function best(coreDir: string, scenario: Scenario, size: number): ScenarioResult {
  let kept: ScenarioResult | null = null;
  for (let attempt = 0; attempt < REPEAT; attempt++) {
    const result = runChild(coreDir, scenario, size);
    if (kept === null || result.engineCpuSeconds < kept.engineCpuSeconds) kept = result;
  }
  return kept as ScenarioResult;
}

function prepared(checkout: string | null): string | null {
  if (checkout === null) return null;
  const core = join(checkout, 'packages/core');
  if (!existsSync(join(core, 'dist/index.js'))) throw new Error(`build ${checkout} first`);
  copyFileSync(join(here, 'engine-scenario.ts'), join(core, 'bench/engine-scenario.ts'));
  return core;
}
const baselineCore = prepared(BASELINE);
const previousCore = prepared(PREVIOUS);

interface Row {
  scenario: Scenario;
  size: number;
  now: ScenarioResult;
  before: ScenarioResult | null;
  previous: ScenarioResult | null;
}
const rows: Row[] = [];
for (const size of SIZES) {
  for (const scenario of SCENARIOS) {
    // Alternate the two builds so both see the same machine load.
    const now = best(join(here, '..'), scenario, size);
    const before = baselineCore ? best(baselineCore, scenario, size) : null;
    const previous = previousCore ? best(previousCore, scenario, size) : null;
    rows.push({ scenario, size, now, before, previous });
    console.log(
      `${LABELS[scenario]} ${size}: engine CPU ${fmt.cpuSeconds(now.engineCpuSeconds)} s${before ? ` (before ${fmt.cpuSeconds(before.engineCpuSeconds)} s)` : ''}${previous ? ` (previous ${fmt.cpuSeconds(previous.engineCpuSeconds)} s)` : ''}, process CPU ${fmt.cpuSeconds(now.processCpuSeconds)} s, wall ${fmt.seconds(now.engineSeconds)} s, GC ${fmt.percent(now.gcShare)}, peak RSS ${fmt.int(now.peakRssMb)} MB, ${now.calls} calls`,
    );
  }
}

const header = [
  'scenario',
  'issues',
  'engine CPU s',
  ...(baselineCore ? ['before CPU s', 'speed-up'] : []),
  ...(previousCore ? ['previous CPU s', 'vs previous'] : []),
  'process CPU s',
  ...(baselineCore ? ['before process CPU s', 'speed-up (process)'] : []),
  'engine wall s',
  ...(baselineCore ? ['before wall s'] : []),
  'Python original s',
  'GC share',
  'peak RSS MB',
  ...(baselineCore ? ['RSS before MB'] : []),
  'connector calls',
  'list calls',
  'remote writes',
];
const table = rows.map(({ scenario, size, now, before, previous }) => [
  LABELS[scenario],
  fmt.int(size),
  fmt.cpuSeconds(now.engineCpuSeconds),
  ...(before
    ? [
        fmt.cpuSeconds(before.engineCpuSeconds),
        fmt.ratio(before.engineCpuSeconds / Math.max(now.engineCpuSeconds, 1e-6)),
      ]
    : []),
  ...(previous
    ? [
        fmt.cpuSeconds(previous.engineCpuSeconds),
        fmt.ratio(previous.engineCpuSeconds / Math.max(now.engineCpuSeconds, 1e-6)),
      ]
    : []),
  fmt.cpuSeconds(now.processCpuSeconds),
  ...(before
    ? [
        fmt.cpuSeconds(before.processCpuSeconds),
        fmt.ratio(before.processCpuSeconds / Math.max(now.processCpuSeconds, 1e-6)),
      ]
    : []),
  fmt.seconds(now.engineSeconds),
  ...(before ? [fmt.seconds(before.engineSeconds)] : []),
  PYTHON_ORIGINAL[`${scenario}:${size}`]?.toFixed(3) ?? '–',
  fmt.percent(now.gcShare),
  fmt.int(now.peakRssMb),
  ...(before ? [fmt.int(before.peakRssMb)] : []),
  String(now.calls),
  String(now.listCalls),
  String(now.writes),
]);
console.log('');
printTable(header, table);

writeDocSection(
  'engine',
  `## Engine and in-memory store

Generated by \`pnpm bench\` (\`packages/core/bench/engine.bench.ts\`) on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${machineLine()}.
- Each scenario runs in a fresh process, ${REPEAT} time(s); the run with the least engine CPU time is kept. In each process the scenario first runs ${WARM_UP_ROUNDS} time(s) on ${WARM_UP_SIZE.toLocaleString('en-US')} issues (separate worlds) so the JIT has compiled the hot paths, then on the measured world.
- "engine CPU s" is the main thread's CPU time during the measured run minus its CPU time replaying the connector calls that run made (recorded, not timed: a clock read around each call cost as much as the memory connector's answer). Reads are replayed on the same connector; a run that wrote is replayed on a twin connector seeded with the same issues, which the setup left in the state the run found (its event log is checked against the live one). What is left is the engine and \`InMemoryIssueStore\`, garbage collection on the main thread included. The main thread's clock: \`process.threadCpuUsage()\` (Node 23.9+), else Linux's \`/proc/thread-self/schedstat\` read after a 10 µs nap (the kernel brings it up to date only at a scheduler tick or when the thread stops)${hasThreadClock ? '' : '; neither exists on this machine, so these figures are the process clock'}.
- "process CPU s" is the same difference with the whole process's CPU time: it adds what V8's helper threads did during the run: concurrent garbage collection, which the run's allocations cause, and optimising compiles. V8 drops optimised code that embedded the object shapes of a world once they are collected, so in each new world part of the engine (and of the benchmark's own code) is compiled again during the measured run. That cost is per world, not per issue: at 10,000 issues it can exceed the engine's own work.
- No-op rows (a fraction of a millisecond) use a loop instead: the CPU (main thread, and process) of back-to-back no-op syncs (enough for about 50 ms) minus that of replaying one sync's calls as many times, per sync; the least of up to ${NO_OP_ROUNDS} rounds of each (about 2 s of syncs in all, at least 3 rounds). Their other columns (wall, GC, RSS) come from the least of ${NO_OP_ROUNDS} single runs. "speed-up" is the ratio of engine CPU (main thread), "speed-up (process)" that of process CPU. Page size ${PAGE_SIZE} (passed as \`limit\`).
- Peak RSS is the whole process's: the generated issues, the connector holding them, and the store.
- GC share: time in garbage collection during the measured run (\`perf_hooks\` gc entries).
${baselineCore ? `- "before" = the same scenarios, in the same run, against ${process.env.BENCH_BASELINE_LABEL ?? `the build at \`${BASELINE}\``}.\n` : ''}${previousCore ? `- "previous" = the same scenarios, in the same run, against ${process.env.BENCH_PREVIOUS_LABEL ?? `the build at \`${PREVIOUS}\``}.\n` : ''}- "Python original" = issue 16's figures for spec-kitty-tracker 0.5.2 on the reference machine.
- "sync after 10% local edits": every tenth issue edited in the store, then a sync pushes them (one update each, plus the reads that find their remote copies: the memory connector's bulk read \`getIssues\`, 100 refs per call, where the build has it; else a listing of the whole tracker).

${markdownTable(header, table)}
`,
);
