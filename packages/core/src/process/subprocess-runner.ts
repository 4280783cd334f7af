import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ConnectorRequestError, ConnectorTimeoutError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { requestScopeOf } from '../http/request-scope';
import type { CommandRunner, CommandRunOptions } from '../protocol/command-runner';
import { executableNotFoundMessage } from './executable-hints';

/** Default command timeout, as the original (`timeout_seconds=30.0`). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** How long a timed-out or aborted child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;

/** How long stdout/stderr may stay open after the process exited (a background child holds them). */
const STREAM_DRAIN_GRACE_MS = 1_000;

/** Bytes of stderr (and of stdout, when stderr is empty) quoted in a failure message. */
const MESSAGE_OUTPUT_LIMIT = 4_096;

/** stderr is kept up to this many bytes (the tail is dropped) so a chatty CLI cannot exhaust memory. */
const STDERR_KEEP_LIMIT = 1_048_576;

/** Options of `SubprocessCommandRunner`. */
export interface SubprocessCommandRunnerOptions {
  /** Kill the command after this many milliseconds (default 30 000). `0` or `Infinity` disables it. */
  timeoutMs?: number;
  /** Environment of the child; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Set as `ConnectorRequestError.provider` on every error (e.g. 'beads'). */
  provider?: string | null;
}

/**
 * Runs an argv list with `child_process.spawn` and `shell: false`, so quotes, spaces, newlines,
 * `$()` and leading dashes reach the program verbatim. stdout is streamed without any size limit
 * (no `maxBuffer`), stdin is closed, and the child is killed on timeout or abort.
 *
 * Errors are `ConnectorRequestError`s:
 * - non-zero exit → `Command failed: <argv> :: <stderr>` (stdout is quoted when stderr is empty,
 *   because `bd --json` writes its errors as JSON on stdout), `non_retryable`;
 * - timeout → `Command timed out: <argv> …`, failure class `transient` (**better than the
 *   original**, which reported `non_retryable`: a slow CLI is worth one more try);
 * - executable missing (ENOENT) → a message naming the executable and how to install it or set
 *   the connector's `command` option, `non_retryable`.
 * An aborted `signal` kills the child and rejects with `signal.reason`.
 * `options.context` is accepted and ignored, like the original's direct-subprocess runner.
 */
export class SubprocessCommandRunner implements CommandRunner {
  /** Per-command timeout in ms. */
  readonly timeoutMs: number;
  readonly #env: NodeJS.ProcessEnv | undefined;
  readonly #provider: string | null;

  constructor(options: SubprocessCommandRunnerOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      throw new TypeError(
        `SubprocessCommandRunner timeoutMs must be a number >= 0, got ${String(timeoutMs)}`,
      );
    }
    this.timeoutMs = timeoutMs;
    this.#env = options.env;
    this.#provider = options.provider ?? null;
  }

  /** Runs `command` (argv, never a shell) and resolves to stdout; failures become `ConnectorRequestError`s without secrets. */
  run(command: readonly string[], options: CommandRunOptions = {}): Promise<string> {
    const argv = [...command];
    const executable = argv[0];
    if (argv.length === 0 || executable === undefined || executable === '') {
      return Promise.reject(
        new ConnectorRequestError('Command failed: empty argv :: no executable given', {
          provider: this.#provider,
        }),
      );
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const display = displayArgv(argv);
    // Inside a sync run the engine may cap each call's timeout (its deadline aborts `signal`).
    const cap = requestScopeOf(signal)?.requestTimeoutMs ?? null;
    const timeoutMs = cap !== null && (this.timeoutMs <= 0 || cap < this.timeoutMs) ? cap : this.timeoutMs;
    const spec: ChildSpec = {
      argv,
      display,
      cwd: options.cwd ?? undefined,
      timeoutMs,
      provider: this.#provider,
      signal,
    };

    return new Promise<string>((resolve, reject) => {
      let child: ChildProcessByStdio<null, Readable, Readable>;
      try {
        child = spawn(executable, argv.slice(1), {
          cwd: spec.cwd,
          env: this.#env ?? process.env,
          shell: false,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (error) {
        reject(spawnError(error as NodeJS.ErrnoException, argv, display, spec.cwd, spec.provider));
        return;
      }
      new ChildRun(child, spec, resolve, reject).watch();
    });
  }
}

/** What one run needs to know besides the child itself. */
interface ChildSpec {
  readonly argv: readonly string[];
  /** argv as quoted in messages (`displayArgv`). */
  readonly display: string;
  readonly cwd: string | undefined;
  /** Effective timeout (the runner's, or the sync run's tighter cap); `0` or `Infinity` = none. */
  readonly timeoutMs: number;
  readonly provider: string | null;
  readonly signal: AbortSignal | undefined;
}

/**
 * One spawned command: collects its output, enforces the timeout and the abort signal, and
 * settles the run's promise exactly once.
 */
class ChildRun {
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #spec: ChildSpec;
  readonly #resolve: (stdout: string) => void;
  readonly #reject: (error: unknown) => void;
  #settled = false;
  #timedOut = false;
  #aborted = false;
  #timer: NodeJS.Timeout | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  readonly #stdoutChunks: Buffer[] = [];
  readonly #stderrChunks: Buffer[] = [];
  #stderrBytes = 0;

  constructor(
    child: ChildProcessByStdio<null, Readable, Readable>,
    spec: ChildSpec,
    resolve: (stdout: string) => void,
    reject: (error: unknown) => void,
  ) {
    this.#child = child;
    this.#spec = spec;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  watch(): void {
    const child = this.#child;
    this.#spec.signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#timer = this.#startTimeout();

    child.stdout.on('data', (chunk: Buffer) => {
      this.#stdoutChunks.push(chunk);
      this.#drainTimer?.refresh(); // still receiving after exit: keep draining
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.#stderrBytes >= STDERR_KEEP_LIMIT) return;
      this.#stderrChunks.push(chunk);
      this.#stderrBytes += chunk.length;
      this.#drainTimer?.refresh();
    });

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (this.#timedOut || this.#aborted) return;
      const { argv, display, cwd, provider } = this.#spec;
      this.#finish(spawnError(error, argv, display, cwd, provider));
    });

    // 'close' waits for stdout/stderr to end. A CLI that leaves a background child holding its
    // pipes open (e.g. a database server it auto-started) would hang us until the timeout, so
    // after 'exit' the streams get a grace period (renewed while data still flows), then whatever
    // arrived is used.
    child.on('exit', (code, killSignal) => {
      this.#drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        this.#complete(code, killSignal);
      }, STREAM_DRAIN_GRACE_MS);
      this.#drainTimer.unref();
    });
    child.on('close', (code, killSignal) => this.#complete(code, killSignal));
  }

  #startTimeout(): NodeJS.Timeout | undefined {
    const { timeoutMs, display, provider } = this.#spec;
    if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) return undefined;
    return setTimeout(() => {
      this.#timedOut = true;
      this.#terminate();
      this.#finish(
        new ConnectorTimeoutError(
          `Command timed out: ${display} (no exit after ${timeoutMs} ms; ` +
            'check that the CLI is not waiting for input, or raise the runner timeoutMs)',
          { provider, timeoutMs, scope: 'request' },
        ),
      );
    }, timeoutMs);
  }

  readonly #onAbort = (): void => {
    this.#aborted = true;
    this.#terminate();
    this.#finish(this.#spec.signal?.reason ?? new Error('The operation was aborted'));
  };

  /** SIGTERM, then SIGKILL when the child is still running after the grace period. */
  #terminate(): void {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    this.#killTimer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, KILL_GRACE_MS);
    this.#killTimer.unref();
  }

  #finish(error: unknown, stdout?: string): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#spec.signal?.removeEventListener('abort', this.#onAbort);
    if (error === undefined) this.#resolve(stdout ?? '');
    else this.#reject(error);
  }

  #complete(code: number | null, killSignal: NodeJS.Signals | null): void {
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    if (this.#settled) return;
    const stdout = Buffer.concat(this.#stdoutChunks).toString('utf8');
    if (code === 0) {
      this.#finish(undefined, stdout);
      return;
    }
    const stderr = Buffer.concat(this.#stderrChunks).toString('utf8').trim();
    const detail =
      clip(stderr) ||
      clip(stdout.trim()) ||
      (killSignal !== null ? `terminated by signal ${killSignal}` : `exit code ${String(code)}`);
    this.#finish(
      new ConnectorRequestError(`Command failed: ${this.#spec.display} :: ${detail}`, {
        provider: this.#spec.provider,
      }),
    );
  }
}

/** argv joined by spaces like the original; an argument over 1 000 characters is abbreviated. */
function displayArgv(argv: readonly string[]): string {
  return argv
    .map((arg) => (arg.length > 1_000 ? `${arg.slice(0, 60)}…(${arg.length} characters)` : arg))
    .join(' ');
}

function clip(text: string): string {
  if (text.length <= MESSAGE_OUTPUT_LIMIT) return text;
  return `${text.slice(0, MESSAGE_OUTPUT_LIMIT)}… (${text.length - MESSAGE_OUTPUT_LIMIT} more characters)`;
}

function spawnError(
  error: NodeJS.ErrnoException,
  argv: readonly string[],
  display: string,
  cwd: string | undefined,
  provider: string | null,
): ConnectorRequestError {
  const executable = argv[0] ?? '';
  if (error.code === 'ENOENT') {
    return new ConnectorRequestError(executableNotFoundMessage(executable, cwd), { provider, cause: error });
  }
  if (error.code === 'E2BIG') {
    const longest = Math.max(...argv.map((arg) => Buffer.byteLength(arg)));
    return new ConnectorRequestError(
      `Command failed: ${display} :: argument list too long (E2BIG; longest argument ${longest} bytes). ` +
        'The OS limits a single argument to 128 KiB on Linux and the whole command line to ~2 MiB; ' +
        'shorten the value (e.g. a very long issue body) before writing it through the CLI',
      { provider, failureClass: FailureClass.VALIDATION, cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new ConnectorRequestError(
      `Command failed: ${display} :: ${executable} is not executable (EACCES); ` +
        `fix its permissions (chmod +x) or point the connector's "command" option at the right binary`,
      { provider, cause: error },
    );
  }
  return new ConnectorRequestError(`Command failed: ${display} :: ${error.message}`, {
    provider,
    cause: error,
  });
}
