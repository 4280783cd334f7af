// Per-operation deadlines at a per-run cost. Every operation of a sync run (a page, a create, an
// update, a lookup) gets its own tagged AbortSignal that aborts at its deadline, but the run
// shares the rest: one timer armed for the earliest live deadline (re-armed at most once per
// deadline period, not once per operation), no `AbortSignal.any` (the host's signal reaches the
// live operations through one listener, attached from the run's first operation until the run
// closes), and no abort listener per attempt (the deadline rejects the pending call directly).
// Before, each operation paid for a timer, an abort listener and `AbortSignal.any`, which
// dominated no-op syncs; then for attaching that listener and toggling the timer's `ref` as the
// run went from one operation to the next.
import { type RequestScope, withRequestScope } from '../http/request-scope';

/** What a deadline aborts an operation with: a function, or an object that builds the error. */
export type TimeoutReason = (() => unknown) | { timeoutError(): unknown };

/**
 * One operation in flight: its signal, deadline and, once the deadline fired, its error. The
 * signal is created when first read (an AbortController costs a few microseconds, more than an
 * in-process connector's whole call); an operation aborted before that gets an aborted signal.
 */
export class DeadlineOperation {
  readonly deadlineAt: number;
  /** The error the deadline aborted this operation with; null while it has not fired. */
  expired: unknown = null;
  readonly #scope: RequestScope;
  #controller: AbortController | null = null;
  #aborted = false;
  #reason: unknown = undefined;
  readonly #timeoutError: TimeoutReason;
  #reject: ((reason: unknown) => void) | null = null;

  constructor(scope: RequestScope, deadlineAt: number, timeoutError: TimeoutReason) {
    this.#scope = scope;
    this.deadlineAt = deadlineAt;
    this.#timeoutError = timeoutError;
  }

  /** The signal handed to the connector, tagged with the run's request scope. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      withRequestScope(this.#controller.signal, this.#scope);
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Throws the abort reason (as `AbortSignal.throwIfAborted`) once aborted. */
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /**
   * `pending`, or a rejection as soon as this operation is aborted: the deadline holds even for
   * a connector that ignores the signal (its call is abandoned, not awaited).
   */
  settle<T>(pending: Promise<T>): Promise<T> {
    if (this.#aborted) return Promise.reject(this.#reason);
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      pending.then(resolve, reject);
    });
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    // As AbortController.abort: no reason means an AbortError.
    this.#reason =
      reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.#controller?.abort(this.#reason);
    this.#reject?.(this.#reason);
  }

  expire(): void {
    if (this.#aborted) return;
    const reason = this.#timeoutError;
    this.expired = typeof reason === 'function' ? reason() : reason.timeoutError();
    this.abort(this.expired);
  }
}

/**
 * The options handed to the connector: an own, enumerable `signal` accessor (so a connector that
 * spreads its options still passes it on) whose getter is shared by every instance. A getter
 * written in an object literal is a new function per object, which left every options object in
 * dictionary mode (slow to build and to read): about three times the cost of this per call.
 */
class OperationOptions {
  readonly #operation: DeadlineOperation;

  constructor(operation: DeadlineOperation) {
    this.#operation = operation;
    Object.defineProperty(this, 'signal', OperationOptions.#signal);
  }

  static readonly #signal: PropertyDescriptor = {
    get(this: OperationOptions): AbortSignal {
      return this.#operation.signal;
    },
    enumerable: true,
    configurable: true,
  };
}

/**
 * A copy of `options` (left untouched, so one query serves every attempt) with a `signal` that is
 * the operation's, created only if the connector reads it.
 */
export function withOperationSignal<T extends object>(
  options: T,
  operation: DeadlineOperation,
): T & { readonly signal: AbortSignal } {
  return Object.assign(new OperationOptions(operation), options) as unknown as T & {
    readonly signal: AbortSignal;
  };
}

/**
 * The deadline machinery of one run (or of one standalone `withRetry` call). Operations may
 * overlap; each still aborts at its own deadline. Its owner calls `close` when the run ends:
 * until then the timer may keep the process alive (a connector call that never settles must
 * still reach its deadline) and the host's signal keeps one listener.
 */
export class OperationDeadlines {
  readonly #host: AbortSignal | undefined;
  readonly #scope: RequestScope;
  readonly #live = new Set<DeadlineOperation>();
  #listening = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerDueAt = 0;
  readonly #onHostAbort = (): void => {
    this.#listening = false;
    for (const operation of this.#live) operation.abort(this.#host?.reason);
  };
  readonly #onTimer = (): void => {
    this.#timer = null;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const operation of this.#live) {
      if (operation.deadlineAt <= now) operation.expire();
      else next = Math.min(next, operation.deadlineAt);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next, now);
  };

  constructor(host: AbortSignal | undefined, scope: RequestScope) {
    this.#host = host;
    this.#scope = Object.freeze({
      callerRetries: scope.callerRetries,
      maxRetryAfterSeconds: scope.maxRetryAfterSeconds,
      requestTimeoutMs: scope.requestTimeoutMs,
    });
  }

  /** Starts an operation that aborts `deadlineMs` from now with `timeoutError()`. */
  begin(deadlineMs: number, timeoutError: TimeoutReason): DeadlineOperation {
    const now = Date.now();
    const operation = new DeadlineOperation(this.#scope, now + deadlineMs, timeoutError);
    if (this.#host?.aborted) {
      operation.abort(this.#host.reason);
      return operation;
    }
    if (this.#host !== undefined && !this.#listening) {
      this.#listening = true;
      this.#host.addEventListener('abort', this.#onHostAbort, { once: true });
    }
    this.#live.add(operation);
    if (this.#timer === null || operation.deadlineAt < this.#timerDueAt) this.#arm(operation.deadlineAt, now);
    return operation;
  }

  /** Ends an operation: no deadline or host abort reaches it any more. */
  end(operation: DeadlineOperation): void {
    this.#live.delete(operation);
  }

  /** Clears the timer and the host listener; operations begun later still work (and need a close). */
  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#listening) this.#host?.removeEventListener('abort', this.#onHostAbort);
    this.#listening = false;
  }

  #arm(dueAt: number, now: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerDueAt = dueAt;
    this.#timer = setTimeout(this.#onTimer, Math.max(dueAt - now, 1));
  }
}
