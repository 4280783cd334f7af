import { parseArgs } from 'node:util';
import type { CliIO } from './cli-io';
import { closest } from './did-you-mean';
import { type ExitCode, UsageError } from './exit-codes';

/** What every command receives: I/O, the global flags, and its own arguments. */
export interface CommandContext {
  readonly io: CliIO;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly progress: boolean;
  /** `--config` as given (resolved by the command against `io.cwd`). */
  readonly configFlag: string | undefined;
  /** Arguments after the command name. */
  readonly args: readonly string[];
}

/** One flag of a command, with what its `--help` says about it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** One line: what the flag does. */
  readonly description: string;
  /** The value's placeholder in help (`N`, `PATH`, `key=value`). */
  readonly placeholder?: string;
  /** Valid values, as help shows them (`external|local|split`, `integer >= 1`). */
  readonly values?: string;
  /** The default, as help shows it (`100`, `the config's pageSize`). */
  readonly default?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The synopsis after the binary name, e.g. `pull [options]`. */
  readonly usage: string;
  readonly options: FlagSpecs;
  /** Command lines shown under "Examples" (without the binary name). */
  readonly examples: readonly string[];
  /** Paragraphs shown between the options and the examples (environment, routes, answers). */
  readonly notes?: readonly string[];
  /** Actions chosen by the first argument (`issues create`, `conflicts resolve`). */
  readonly subcommands?: readonly Command[];
  run(ctx: CommandContext): Promise<ExitCode>;
}

/** Flags every command accepts (they may also come before the command name). */
export const GLOBAL_FLAGS = {
  json: { type: 'boolean', description: 'print one JSON document on stdout instead of text' },
  config: {
    type: 'string',
    placeholder: 'PATH',
    description: 'the tracker config file',
    default: '.spec-kitty/tracker.json here or in the nearest parent',
  },
  quiet: { type: 'boolean', short: 'q', description: 'print nothing but errors and warnings' },
} as const satisfies FlagSpecs;

/** `--no-progress`, for the commands that show progress. */
export const PROGRESS_FLAG = {
  'no-progress': {
    type: 'boolean',
    description: 'no progress bar or progress lines on stderr',
    default: 'progress on, unless --json or --quiet',
  },
} as const satisfies FlagSpecs;

/** Parsed flags: booleans, strings, or string lists for `multiple: true`. */
export interface ParsedCommandArgs<O extends FlagSpecs> {
  values: {
    [K in keyof O]?: O[K] extends { type: 'boolean' }
      ? boolean
      : O[K] extends { multiple: true }
        ? string[]
        : string;
  };
  positionals: string[];
}

/**
 * node:util parseArgs with strict checking; mistakes become a UsageError naming the command,
 * and an unknown flag names the closest valid one.
 */
export function parseCommandArgs<const O extends FlagSpecs>(
  command: string,
  args: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  checkFlagNames(command, args, options);
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.multiple && { multiple: true }),
      ...(spec.short !== undefined && { short: spec.short }),
    };
  }
  // `--limit -1` is a (bad) value, not an unknown flag: join it so validation names the flag.
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const next = args[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else joined.push(arg);
  }
  try {
    return parseArgs({
      args: joined,
      options: config,
      allowPositionals: true,
      strict: true,
    }) as ParsedCommandArgs<O>;
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}. See \`spec-kitty-tracker help ${command}\`.`,
    );
  }
}

function checkFlagNames(command: string, args: readonly string[], options: FlagSpecs): void {
  const shorts = new Set(Object.values(options).flatMap((spec) => (spec.short ? [spec.short] : [])));
  for (const arg of args) {
    if (arg === '--') return;
    let unknown: string | null = null;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!(name in options)) unknown = `--${name}`;
    } else if (/^-[^-\d]/.test(arg)) {
      const letter = arg[1]!;
      if (!shorts.has(letter)) unknown = `-${letter}`;
    }
    if (unknown === null) continue;
    const candidates = Object.keys(options).map((name) => `--${name}`);
    const suggestion = closest(unknown, candidates);
    throw new UsageError(
      `${command}: Unknown option '${unknown}'.${suggestion ? ` Did you mean ${suggestion}?` : ''} See \`spec-kitty-tracker help ${command}\`.`,
    );
  }
}

/** Writes a line to stdout unless `--json` or `--quiet` is set. */
export function say(ctx: CommandContext, text: string): void {
  if (!ctx.json && !ctx.quiet) ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes the JSON document of a command (only with `--json`). */
export function emitJson(ctx: CommandContext, value: unknown): void {
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

export function warn(ctx: CommandContext, text: string): void {
  ctx.io.stderr.write(`warning: ${text}\n`);
}

/** A count such as `--limit` or `--page-size`: an integer >= 1, else the same usage error everywhere. */
export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, got ${JSON.stringify(value)}.`);
  return number;
}

/** A duration such as `--wait`: an integer >= 0. */
export function parseNonNegativeInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number))
    throw new UsageError(`${flag} must be a whole number of at least 0, got ${JSON.stringify(value)}.`);
  return number;
}
