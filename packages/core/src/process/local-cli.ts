import * as v from 'valibot';
import { createLocalExecutionContext, type LocalExecutionContext } from '../context';
import { ConnectorConfigError, ConnectorRequestError, IssueNotFoundError } from '../errors/errors';
import type { CommandRunner, CommandRunOptions } from '../protocol/command-runner';
import { DEFAULT_COMMAND_TIMEOUT_MS, SubprocessCommandRunner } from './subprocess-runner';

const nonEmpty = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`));

const optionalText = v.nullish(v.string());

/** A `LocalExecutionContext` as a config file holds it. */
export interface LocalExecutionContextInput {
  /** Who runs the CLI (required, non-empty). */
  readonly actor: string;
  /** The repository it runs in (required, non-empty). */
  readonly repository: string;
  /** Team, when known. */
  readonly team?: string | null | undefined;
  /** Mission, when known. */
  readonly missionId?: string | null | undefined;
  /** Task, when known. */
  readonly taskId?: string | null | undefined;
}

/** A plain `LocalExecutionContext` (actor and repository required), rebuilt with the core factory. */
export const localExecutionContextSchema: v.GenericSchema<LocalExecutionContextInput, LocalExecutionContext> =
  v.pipe(
    v.object({
      actor: nonEmpty('context.actor'),
      repository: nonEmpty('context.repository'),
      team: optionalText,
      missionId: optionalText,
      taskId: optionalText,
    }),
    v.transform((context): LocalExecutionContext => createLocalExecutionContext(context)),
  );

/**
 * The config entries every local CLI connector shares; spread them into its `v.strictObject`.
 * `folder` names the state folder the CLI keeps in the repository (for the docs of `cwd`).
 */
export function localCliConfigEntries(defaults: { workspace: string; command: string }) {
  return {
    /** `ExternalRef.workspace` of every issue. */
    workspace: v.optional(nonEmpty('workspace'), defaults.workspace),
    /** The executable: a name on PATH or a full path. */
    command: v.optional(nonEmpty('command'), defaults.command),
    /** Directory the CLI runs in (the repository holding its state folder); default the host's cwd. */
    cwd: v.optional(v.nullable(nonEmpty('cwd')), null),
    /** Scoped execution context; when set, an explicit runner is required (fail closed). */
    context: v.optional(v.nullable(localExecutionContextSchema), null),
    /** Timeout of the default subprocess runner, in ms. */
    timeoutMs: v.optional(
      v.pipe(v.number('timeoutMs must be a number'), v.minValue(1, 'timeoutMs must be at least 1')),
      DEFAULT_COMMAND_TIMEOUT_MS,
    ),
  };
}

/** Options of `LocalCliInvoker`. */
export interface LocalCliInvokerOptions {
  /** Config class name of the original, used in the fail-closed message (e.g. 'BeadsConnectorConfig'). */
  configName: string;
  /** Provider id for errors. */
  provider: string;
  /** Working directory of the CLI (null: the process's). */
  cwd: string | null;
  /** Execution context passed to the runner; required when `runner` is set. */
  context: LocalExecutionContext | null;
  /** Per-command timeout. */
  timeoutMs: number;
  /** A host-provided runner (default: a `SubprocessCommandRunner`). */
  runner?: CommandRunner | undefined;
  /** Recognises the CLI's "issue not found" answer in a `Command failed: … :: <output>` error. */
  notFound: RegExp;
  /** Message of the `IssueNotFoundError` for an id, e.g. `Beads issue not found: <id>`. */
  notFoundMessage: (id: string) => string;
}

/**
 * Runs a local tracker CLI the way the original did: an explicit runner is required when a
 * context is configured (never the direct-subprocess default), and `context` is passed to the
 * runner only when configured, so legacy runners without that parameter keep working.
 */
export class LocalCliInvoker {
  readonly #options: LocalCliInvokerOptions;
  readonly #runner: CommandRunner;

  constructor(options: LocalCliInvokerOptions) {
    if (options.context !== null && options.runner === undefined) {
      throw new ConnectorConfigError(
        `${options.configName}.context is set but no runner was supplied; a scoped context requires an explicit ` +
          'runner (e.g. a gateway-backed runner), never the default direct-subprocess runner.',
      );
    }
    this.#options = options;
    this.#runner =
      options.runner ??
      new SubprocessCommandRunner({ timeoutMs: options.timeoutMs, provider: options.provider });
  }

  /** Runs `argv` (the executable first) and resolves to stdout. */
  async run(argv: readonly string[], signal?: AbortSignal): Promise<string> {
    const runOptions: CommandRunOptions = { cwd: this.#options.cwd };
    if (this.#options.context !== null) runOptions.context = this.#options.context;
    if (signal !== undefined) runOptions.signal = signal;
    return this.#runner.run(argv, runOptions);
  }

  /** `run` for a command about one issue: the CLI's "not found" becomes `IssueNotFoundError`. */
  async runFor(id: string, argv: readonly string[], signal?: AbortSignal): Promise<string> {
    try {
      return await this.run(argv, signal);
    } catch (error) {
      if (this.isNotFound(error))
        throw new IssueNotFoundError(this.#options.notFoundMessage(id), { cause: error });
      throw error;
    }
  }

  /** Whether `error` is the CLI's "issue not found" answer. */
  isNotFound(error: unknown): boolean {
    if (!ConnectorRequestError.isInstance(error)) return false;
    const message = (error as ConnectorRequestError).message;
    const separator = message.indexOf(' :: ');
    if (!message.startsWith('Command failed: ') || separator === -1) return false;
    return this.#options.notFound.test(message.slice(separator + 4));
  }
}
