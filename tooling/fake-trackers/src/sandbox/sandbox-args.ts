import { parseArgs } from 'node:util';
import type { Fault } from '../server/fake-server';
import type { RateFault } from './sandbox-faults';

export const SANDBOX_VENDORS = ['github', 'gitlab', 'linear', 'jira', 'azure'] as const;
export type SandboxVendor = (typeof SANDBOX_VENDORS)[number];

const ALIASES: Record<string, SandboxVendor> = { azure_devops: 'azure', 'azure-devops': 'azure' };

export interface SandboxOptions {
  readonly vendor: SandboxVendor;
  /** Issues seeded at start. */
  readonly seed: number;
  /** 0 = any free port. */
  readonly port: number;
  readonly faults: readonly RateFault[];
  readonly latencyMs: number;
  /** Seed of the fault RNG (same seed, same request order → same faults). */
  readonly faultSeed: number;
  /** Print one JSON line instead of the text banner. */
  readonly json: boolean;
}

export const SANDBOX_USAGE = `Usage: pnpm fake <vendor> [options]

Starts a loopback fake of a tracker API, seeds issues, and prints the base URL and the
spec-kitty-tracker command to bind a project to it. Runs until Ctrl-C.

Vendors: ${SANDBOX_VENDORS.join(', ')} (azure_devops is an alias of azure)

Options:
  --seed N              issues to seed (default 20)
  --port N              port on 127.0.0.1 (default 0: any free port)
  --fault KIND:RATE     inject a fault on a share of requests; KIND is an HTTP status
                        (500, 502, 503, 429 …), reset or timeout; repeatable
                        (e.g. --fault 500:0.1 --fault 429:0.05)
  --latency DURATION    delay every other answer (50ms, 1s)
  --fault-seed N        seed of the fault RNG (default 1)
  --json                print one JSON line (url, env, bind arguments) instead of text
  -h, --help            this help
`;

export class SandboxUsageError extends Error {
  override readonly name = 'SandboxUsageError';
}

function integer(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new SandboxUsageError(
      `${flag} must be a whole number from 0 to ${max}, got ${JSON.stringify(text)}.`,
    );
  return Number(text);
}

/** `50ms`, `1s`, `1.5s` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!match)
    throw new SandboxUsageError(`--latency must look like 50ms or 1s, got ${JSON.stringify(text)}.`);
  const value = Number(match[1]);
  return Math.round(match[2] === 's' ? value * 1000 : value);
}

function faultOf(kind: string): Fault {
  if (kind === 'reset') return { kind: 'reset' };
  if (kind === 'timeout') return { kind: 'timeout' };
  if (/^[45]\d\d$/.test(kind)) {
    const status = Number(kind);
    // Clients back off on Retry-After; one second keeps a sandbox run short.
    if (status === 429 || status === 503) return { kind: 'status', status, headers: { 'retry-after': '1' } };
    return { kind: 'status', status };
  }
  throw new SandboxUsageError(
    `--fault kind must be a 4xx/5xx status, reset or timeout, got ${JSON.stringify(kind)}.`,
  );
}

/** `500:0.1` → a 500 on 10 % of requests. */
export function parseFault(text: string): RateFault {
  const [kind = '', rateText = ''] = text.split(':');
  const rate = Number(rateText);
  if (!/^\d*\.?\d+$/.test(rateText) || !(rate > 0 && rate <= 1))
    throw new SandboxUsageError(`--fault needs KIND:RATE with 0 < RATE <= 1, got ${JSON.stringify(text)}.`);
  return { fault: faultOf(kind), rate, label: `${kind}:${rateText}` };
}

const OPTIONS = {
  seed: { type: 'string' },
  port: { type: 'string' },
  fault: { type: 'string', multiple: true },
  latency: { type: 'string' },
  'fault-seed': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // node:util's own message ("Unknown option '--sed'") is the useful part.
    throw new SandboxUsageError((error as Error).message);
  }
}

/** Parses the command line; `null` means help was asked for. */
export function parseSandboxArgs(argv: readonly string[]): SandboxOptions | null {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) return null;
  const name = positionals[0];
  if (name === undefined) throw new SandboxUsageError(`Name a vendor: ${SANDBOX_VENDORS.join(', ')}.`);
  if (positionals.length > 1)
    throw new SandboxUsageError(`Unexpected argument ${JSON.stringify(positionals[1])}.`);
  const vendor = ALIASES[name] ?? (SANDBOX_VENDORS as readonly string[]).find((known) => known === name);
  if (vendor === undefined)
    throw new SandboxUsageError(
      `Unknown vendor ${JSON.stringify(name)}; use one of ${SANDBOX_VENDORS.join(', ')}.`,
    );
  const faults = (values.fault ?? []).map(parseFault);
  const total = faults.reduce((sum, fault) => sum + fault.rate, 0);
  if (total > 1) throw new SandboxUsageError(`The --fault rates add up to ${total}; they must not exceed 1.`);
  return {
    vendor: vendor as SandboxVendor,
    seed: integer(values.seed, '--seed', 20, 100_000),
    port: integer(values.port, '--port', 0, 65_535),
    faults,
    latencyMs: values.latency === undefined ? 0 : parseDuration(values.latency),
    faultSeed: integer(values['fault-seed'], '--fault-seed', 1, 2 ** 32 - 1),
    json: values.json ?? false,
  };
}
