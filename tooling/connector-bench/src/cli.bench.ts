// CLI benchmark (issue 16 item 5): the built CLI (packages/cli/dist/bin.js) as a user runs it,
// whole process: start-up alone (`--version`), a cold sync of BENCH_CLI_ISSUES (default 5,000)
// issues from the GitHub fake into a new SQLite store, and the no-op sync after it. The fake runs
// in this process; each CLI run is a child process timed from outside (wall) and from inside (its
// own CPU time and peak RSS, written on exit by rusage-preload.mjs).
// The fake skips its OpenAPI validation here (about 20 ms of its own time per page, which would be
// counted as the CLI's wall time); the CLI's requests are validated by its end-to-end tests. The
// fake's own CPU time during each run is reported next to the CLI's.
// BENCH_CLI_PROFILE=<dir> also writes a `--cpu-prof` profile of each kind of run there.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fmt,
  machineLine,
  markdownTable,
  printTable,
  writeDocSection,
} from '../../../packages/core/bench/bench-report';
import { startFake } from './vendors';

const ISSUES = Number(process.env.BENCH_CLI_ISSUES ?? 5000);
const REPEAT = Number(process.env.BENCH_CLI_REPEAT ?? 3);
const PROFILE_DIR = process.env.BENCH_CLI_PROFILE ? resolve(process.env.BENCH_CLI_PROFILE) : null;
const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
const preload = new URL('./rusage-preload.mjs', import.meta.url).href;

interface Measured {
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  /** CPU time of this process (the fake serving the CLI) during the run. */
  fakeCpuSeconds: number;
}

type Kind = 'start-up (--version)' | 'cold sync' | 'no-op sync';

async function runCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  profileAs: string | null,
): Promise<Measured> {
  const usageFile = join(cwd, `.rusage-${process.pid}.json`);
  const profile =
    PROFILE_DIR && profileAs ? ['--cpu-prof', '--cpu-prof-dir', join(PROFILE_DIR, profileAs)] : [];
  const started = performance.now();
  const fakeCpu = process.cpuUsage();
  const child = spawn(process.execPath, ['--import', preload, ...profile, bin, ...args], {
    cwd,
    env: { ...process.env, ...env, BENCH_RUSAGE_OUT: usageFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const wallSeconds = (performance.now() - started) / 1000;
  const fakeUsage = process.cpuUsage(fakeCpu);
  const fakeCpuSeconds = (fakeUsage.user + fakeUsage.system) / 1e6;
  if (code !== 0) throw new Error(`spec-kitty-tracker ${args.join(' ')} exited with ${code}:\n${errors}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; maxRssMb: number };
  rmSync(usageFile);
  return { wallSeconds, ...usage, fakeCpuSeconds };
}

const fake = await startFake('github', ISSUES, { validate: false });
const { owner, repo, token, baseUrl } = fake.target.config as Record<string, string>;
const env = { GITHUB_TOKEN: token, NO_COLOR: '1' };
const runs: Record<Kind, Measured[]> = { 'start-up (--version)': [], 'cold sync': [], 'no-op sync': [] };
const calls: Record<Kind, number[]> = { 'start-up (--version)': [], 'cold sync': [], 'no-op sync': [] };
let storeBytes = 0;
try {
  for (let attempt = 0; attempt < REPEAT; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'spec-kitty-cli-bench-'));
    try {
      // The first round is the one profiled (profiling slows it; the others are not).
      const profiled = PROFILE_DIR !== null && attempt === 0;
      if (profiled && PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
      const measure = async (kind: Kind, args: readonly string[]) => {
        fake.resetCalls();
        const measured = await runCli(args, dir, env, profiled ? kind.replace(/\W+/g, '-') : null);
        calls[kind].push(fake.calls());
        if (!profiled || REPEAT === 1) runs[kind].push(measured);
      };
      await measure('start-up (--version)', ['--version']);
      await runCli(
        ['init', '--provider', 'github', '--workspace', `${owner}/${repo}`, '--set', `baseUrl=${baseUrl}`],
        dir,
        env,
        null,
      );
      await measure('cold sync', ['--no-progress', 'sync']);
      await measure('no-op sync', ['--no-progress', 'sync']);
      storeBytes = 0;
      for (const name of readdirSync(join(dir, '.spec-kitty'))) {
        if (!name.startsWith('.rusage')) storeBytes += statSync(join(dir, '.spec-kitty', name)).size;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(
      `run ${attempt + 1}: cold sync ${fmt.seconds(runs['cold sync'].at(-1)?.wallSeconds ?? 0)} s wall, no-op ${fmt.seconds(runs['no-op sync'].at(-1)?.wallSeconds ?? 0)} s wall`,
    );
  }
} finally {
  await fake.close();
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const header = [
  'run',
  'issues',
  'wall s (median)',
  'wall s (min)',
  'CPU s (median)',
  'CPU s (min)',
  'peak RSS MB',
  'API calls',
  'fake CPU s (median)',
];
const table = (Object.keys(runs) as Kind[]).map((kind) => [
  kind,
  kind === 'start-up (--version)' ? '–' : fmt.int(ISSUES),
  fmt.seconds(median(runs[kind].map((run) => run.wallSeconds))),
  fmt.seconds(Math.min(...runs[kind].map((run) => run.wallSeconds))),
  fmt.seconds(median(runs[kind].map((run) => run.cpuSeconds))),
  fmt.seconds(Math.min(...runs[kind].map((run) => run.cpuSeconds))),
  fmt.int(median(runs[kind].map((run) => run.maxRssMb))),
  String(median(calls[kind])),
  fmt.seconds(median(runs[kind].map((run) => run.fakeCpuSeconds))),
]);
console.log('');
printTable(header, table);

writeDocSection(
  'cli',
  `## CLI: sync against the GitHub fake

Generated by \`pnpm bench\` (\`tooling/connector-bench/src/cli.bench.ts\`) on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${machineLine()}.
- The built CLI (\`node packages/cli/dist/bin.js\`) as a user runs it, each run a whole process: \`--version\` (start-up alone), then in a new directory \`init --provider github\` against the GitHub fake serving ${ISSUES.toLocaleString('en-US')} issues on loopback, \`sync\` (cold: every issue into a new SQLite store) and \`sync\` again (no-op). ${REPEAT} round(s)${PROFILE_DIR ? ', the first one profiled and not counted' : ''}; median and minimum shown. Wall time is measured from outside (spawn to exit), CPU time and peak RSS by the process itself at exit. The fake runs in the benchmark's process, on the same loaded machine, without its OpenAPI validation (which costs it about 20 ms a page); "fake CPU s" is the benchmark process's CPU time during the run, i.e. the fake's time serving it.
- Files under \`.spec-kitty/\` after the no-op sync: ${fmt.int(storeBytes)} bytes (${fmt.int(storeBytes / ISSUES)} per issue).

${markdownTable(header, table)}
`,
);
