import {
  ConnectorRequestError,
  RateLimitedError,
  SpecKittyTrackerError,
  SyncConflictError,
} from '@spec-kitty/core';
import { type CliIO, processIO } from './cli-io';
import { bindCommand, initCommand } from './command-bind';
import { bindingsCommand } from './command-bindings';
import { conflictsCommand } from './command-conflicts';
import type { Command, CommandContext } from './command-context';
import { demoCommand } from './command-demo';
import { discoverCommand } from './command-discover';
import { editCommand } from './command-edit';
import { BIN, commandHelp } from './command-help';
import { issuesCommand } from './command-issues';
import { mapCommand } from './command-map';
import { serveCommand } from './command-serve';
import { statusCommand } from './command-status';
import { planCommand, pullCommand, pushCommand, syncCommand } from './command-sync';
import { unlockCommand } from './command-unlock';
import { workerCommand } from './command-worker';
import { closest } from './did-you-mean';
import { ExitCode, UsageError } from './exit-codes';
import { VERSION } from './version';

export const COMMANDS: readonly Command[] = [
  initCommand,
  bindCommand,
  discoverCommand,
  pullCommand,
  pushCommand,
  syncCommand,
  planCommand,
  statusCommand,
  issuesCommand,
  editCommand,
  mapCommand,
  conflictsCommand,
  unlockCommand,
  demoCommand,
  workerCommand,
  serveCommand,
  bindingsCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `${BIN} ${VERSION}: one interface to every issue tracker, with a deterministic two-way sync.`,
    '',
    `Usage: ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show help for a command`,
    '',
    'Global options: --json (machine-readable output), --config PATH, --quiet, --no-progress, --version',
    'Exit codes: 0 ok, 1 error (nothing done, or tracker refused), 2 usage/config error, 3 partial failure, 4 conflicts need review, 130/143 interrupted (SIGINT/SIGTERM)',
    `Run \`${BIN} <command> --help\` for a command's flags and examples. Start with: ${BIN} demo`,
    '',
  ].join('\n');
}

/** The command named by the first word, and its subcommand when the next word names one. */
function resolveCommand(
  name: string,
  rest: readonly string[],
): { command: Command; path: string; args: readonly string[] } | null {
  const top = COMMANDS.find((c) => c.name === name);
  if (top === undefined) return null;
  const sub = top.subcommands?.find((c) => c.name === rest[0]);
  if (sub === undefined) return { command: top, path: top.name, args: rest };
  return { command: sub, path: `${top.name} ${sub.name}`, args: rest.slice(1) };
}

function unknownCommand(name: string): string {
  // `delete` or `create` alone: the user meant the subcommand (`issues delete`).
  const parent = COMMANDS.find((c) => c.subcommands?.some((sub) => sub.name === name && sub.name !== 'list'));
  const suggestion = parent
    ? `\`${parent.name} ${name}\``
    : closest(
        name,
        COMMANDS.map((c) => c.name),
      );
  return `Unknown command ${JSON.stringify(name)}.${suggestion ? ` Did you mean ${suggestion}?` : ''} Run \`${BIN} help\` for the list.`;
}

/** Global flags may come before the command; they are passed on to it. */
function splitGlobal(argv: readonly string[]) {
  const rest: string[] = [];
  let command: string | undefined;
  let json = false;
  let quiet = false;
  let progress = true;
  let configFlag: string | undefined;
  let help = false;
  let version = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--quiet' || arg === '-q') quiet = true;
    else if (arg === '--no-progress') progress = false;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--version' || arg === '-V') version = true;
    else if (arg === '--config' && command === undefined) configFlag = argv[++index];
    else if (arg.startsWith('--config=') && command === undefined) configFlag = arg.slice('--config='.length);
    else if (command === undefined && !arg.startsWith('-')) command = arg;
    else rest.push(arg);
  }
  return { command, rest, json, quiet, progress, configFlag, help, version };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs the CLI; returns the exit code instead of exiting (the bin sets `process.exitCode`). */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<ExitCode> {
  const parsed = splitGlobal(argv);
  const writeError = (code: ExitCode, type: string, message: string) => {
    if (parsed.json)
      io.stdout.write(`${JSON.stringify({ error: { type, message }, exitCode: code }, null, 2)}\n`);
    io.stderr.write(`${BIN}: ${message}\n`);
    return code;
  };
  if (parsed.version) {
    io.stdout.write(parsed.json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
    return ExitCode.OK;
  }
  if (parsed.command === undefined || parsed.command === 'help') {
    const words = parsed.command === 'help' ? parsed.rest.filter((arg) => !arg.startsWith('-')) : [];
    if (words[0] === undefined) {
      io.stdout.write(overview());
      return parsed.command === undefined && !parsed.help ? ExitCode.USAGE : ExitCode.OK;
    }
    const target = resolveCommand(words[0], words.slice(1));
    if (target === null) return writeError(ExitCode.USAGE, 'UsageError', unknownCommand(words[0]));
    io.stdout.write(commandHelp(target.command, target.path));
    return ExitCode.OK;
  }
  const target = resolveCommand(parsed.command, parsed.rest);
  if (target === null) return writeError(ExitCode.USAGE, 'UsageError', unknownCommand(parsed.command));
  const { command } = target;
  if (parsed.help) {
    io.stdout.write(commandHelp(command, target.path));
    return ExitCode.OK;
  }
  const ctx: CommandContext = {
    io,
    json: parsed.json,
    quiet: parsed.quiet,
    progress: parsed.progress,
    configFlag: parsed.configFlag,
    args: target.args,
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    if (error instanceof UsageError) return writeError(ExitCode.USAGE, 'UsageError', describeError(error));
    if (SyncConflictError.isInstance(error))
      return writeError(ExitCode.CONFLICTS, 'SyncConflictError', describeError(error));
    const type = error instanceof Error ? error.name : 'Error';
    let message = describeError(error);
    if (RateLimitedError.isInstance(error)) {
      message = `rate limited by ${error.provider ?? 'the tracker'} until ${error.resetAt.toISOString()}: run it again after that time. (${message})`;
    } else if (ConnectorRequestError.isInstance(error)) {
      message = `the tracker request failed: ${message}${error.isRetryable ? ' (retryable: run the command again)' : ''}`;
    } else if (
      !SpecKittyTrackerError.isInstance(error) &&
      io.env.SPEC_KITTY_DEBUG &&
      error instanceof Error
    ) {
      message = error.stack ?? message;
    }
    return writeError(ExitCode.ERROR, type, message);
  }
}
