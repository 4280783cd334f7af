import { type CliIO, processIO } from './cli-io';
import type { Command, CommandContext } from './command-context';
import { BIN, commandHelp } from './command-help';
import { COMMAND_TABLE } from './command-table';
import { closest } from './did-you-mean';
import { ExitCode, UsageError } from './exit-codes';
import { VERSION } from './version';

async function overview(): Promise<string> {
  const { COMMANDS } = await import('./command-list');
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

/** The command named by the first word (loaded), and its subcommand when the next word names one. */
async function resolveCommand(
  name: string,
  rest: readonly string[],
): Promise<{ command: Command; path: string; args: readonly string[] } | null> {
  const entry = COMMAND_TABLE.find((c) => c.name === name);
  if (entry === undefined) return null;
  const top = await entry.load();
  const sub = top.subcommands?.find((c) => c.name === rest[0]);
  if (sub === undefined) return { command: top, path: top.name, args: rest };
  return { command: sub, path: `${top.name} ${sub.name}`, args: rest.slice(1) };
}

function unknownCommand(name: string): string {
  // `delete` or `create` alone: the user meant the subcommand (`issues delete`).
  const parent = COMMAND_TABLE.find((c) => c.subcommands.some((sub) => sub === name && sub !== 'list'));
  const suggestion = parent
    ? `\`${parent.name} ${name}\``
    : closest(
        name,
        COMMAND_TABLE.map((c) => c.name),
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
      io.stdout.write(await overview());
      return parsed.command === undefined && !parsed.help ? ExitCode.USAGE : ExitCode.OK;
    }
    const target = await resolveCommand(words[0], words.slice(1));
    if (target === null) return writeError(ExitCode.USAGE, 'UsageError', unknownCommand(words[0]));
    io.stdout.write(commandHelp(target.command, target.path));
    return ExitCode.OK;
  }
  const target = await resolveCommand(parsed.command, parsed.rest);
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
    // Loaded here, not up front: commands that never reach a tracker do not need it (`--version`).
    const { ConnectorRequestError, RateLimitedError, SpecKittyTrackerError, SyncConflictError } =
      await import('@spec-kitty/core');
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
