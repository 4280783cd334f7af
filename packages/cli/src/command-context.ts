import { parseArgs } from 'node:util';
import type { CliIO } from './cli-io';
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

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}

/** Same shape as node:util's parse options (named here so declaration files can refer to it). */
export type Options = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Parsed flags: booleans, strings, or string lists for `multiple: true`. */
export interface ParsedCommandArgs<O extends Options> {
  values: {
    [K in keyof O]?: O[K] extends { type: 'boolean' }
      ? boolean
      : O[K] extends { multiple: true }
        ? string[]
        : string;
  };
  positionals: string[];
}

/** node:util parseArgs with strict checking; mistakes become UsageError naming the command. */
export function parseCommandArgs<const O extends Options>(
  command: string,
  args: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    return parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    }) as ParsedCommandArgs<O>;
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}. See \`spec-kitty-tracker help ${command}\`.`,
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

export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}.`);
  return number;
}
