import { parseSandboxArgs, SANDBOX_USAGE, type SandboxOptions } from './sandbox-args';
import { type FaultCounters, installRateFaults, seededRandom } from './sandbox-faults';
import { type SandboxTracker, startSandboxTracker } from './sandbox-trackers';

export interface SandboxOutput {
  out(line: string): void;
  err(line: string): void;
}

/** A running sandbox: the tracker, its fault counters, and `stop()` (prints a summary). */
export interface RunningSandbox {
  readonly options: SandboxOptions;
  readonly tracker: SandboxTracker;
  readonly counters: FaultCounters;
  stop(): Promise<void>;
}

/** Quotes an argument for a POSIX shell only when it needs it. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function bindCommand(tracker: SandboxTracker): string {
  return ['spec-kitty-tracker', 'bind', ...tracker.bindArgs].map(shellQuote).join(' ');
}

function describeFaults(options: SandboxOptions): string {
  const parts = options.faults.map(
    (fault) => `${fault.label.split(':')[0]} on ${+(fault.rate * 100).toFixed(2)}% of requests`,
  );
  if (options.latencyMs > 0) parts.push(`${options.latencyMs} ms latency on the others`);
  return parts.length > 0 ? `${parts.join(', ')} (fault seed ${options.faultSeed})` : 'none';
}

function banner(options: SandboxOptions, tracker: SandboxTracker): string[] {
  const exports = Object.entries(tracker.env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  return [
    `${tracker.title} fake listening on ${tracker.url}`,
    `  seeded: ${options.seed} issues in ${tracker.workspace}`,
    `  faults: ${describeFaults(options)}`,
    '',
    'Bind a project to it (from the project directory):',
    ...exports.map((line) => `  ${line}`),
    `  ${bindCommand(tracker)}`,
    '',
    'Ctrl-C stops the fake (its data lives in memory only).',
  ];
}

/** Starts the sandbox described by `options` and prints how to use it. */
export async function startSandbox(options: SandboxOptions, output: SandboxOutput): Promise<RunningSandbox> {
  const tracker = await startSandboxTracker(options.vendor, options.port, options.seed);
  const counters = installRateFaults(
    tracker.server,
    options.faults,
    options.latencyMs,
    seededRandom(options.faultSeed),
  );
  if (options.json) {
    output.out(
      JSON.stringify({
        vendor: options.vendor,
        url: tracker.url,
        provider: tracker.provider,
        workspace: tracker.workspace,
        env: tracker.env,
        bind: ['bind', ...tracker.bindArgs],
        bindCommand: bindCommand(tracker),
        seeded: options.seed,
      }),
    );
  } else {
    for (const line of banner(options, tracker)) output.out(line);
  }
  // A request the real API would reject is worth telling the user about as it happens.
  let reported = 0;
  const watch = setInterval(() => {
    const { violations } = tracker.server;
    for (; reported < violations.length; reported += 1)
      output.err(`${tracker.title} fake: rejected ${violations[reported]}`);
  }, 200);
  watch.unref();
  return {
    options,
    tracker,
    counters,
    async stop() {
      clearInterval(watch);
      await tracker.close();
      const faults = [...counters.injected].map(([label, count]) => `${count} × ${label.split(':')[0]}`);
      output.err(
        `${tracker.title} fake stopped after ${tracker.server.callCount()} requests` +
          (faults.length > 0 ? ` (injected: ${faults.join(', ')})` : ''),
      );
    },
  };
}

/** The command line: returns the running sandbox, or null after printing help. */
export async function runSandboxCli(
  argv: readonly string[],
  output: SandboxOutput,
): Promise<RunningSandbox | null> {
  const options = parseSandboxArgs(argv);
  if (options === null) {
    output.out(SANDBOX_USAGE);
    return null;
  }
  return startSandbox(options, output);
}
