// Per-operation deadlines at a per-run cost. Every operation of a sync run (a page, a create, an
// update, a lookup) gets its own tagged AbortSignal that aborts at its deadline, but the run
// shares the rest: one timer armed for the earliest live deadline (re-armed at most once per
// deadline period, not once per operation), no `AbortSignal.any` (the host's signal reaches the
// live operations through one listener, attached only while an operation runs), and no abort
// listener per attempt (the deadline rejects the pending call directly). Before, each operation
// paid for a timer, an abort listener and `AbortSignal.any`, which dominated no-op syncs.
import { type RequestScope, withRequestScope } from '../http/request-scope';

/** One operation in flight: its signal, deadline and, once the deadline fired, its error. */
export class DeadlineOperation {
  readonly signal: AbortSignal;
  readonly deadlineAt: number;
  /** The error the deadline aborted this operation with; null while it has not fired. */
  expired: unknown = null;
  readonly #controller = new AbortController();
  readonly #timeoutError: () => unknown;
  #reject: ((reason: unknown) => void) | null = null;

  constructor(scope: RequestScope, deadlineAt: number, timeoutError: () => unknown) {
    this.signal = withRequestScope(this.#controller.signal, scope);
    this.deadlineAt = deadlineAt;
    this.#timeoutError = timeoutError;
  }

  /**
   * `pending`, or a rejection as soon as this operation is aborted: the deadline holds even for
   * a connector that ignores the signal (its call is abandoned, not awaited).
   */
  settle<T>(pending: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      pending.then(resolve, reject);
    });
  }

  abort(reason: unknown): void {
    if (this.signal.aborted) return;
    this.#controller.abort(reason);
    this.#reject?.(reason);
  }

  expire(): void {
    if (this.signal.aborted) return;
    this.expired = this.#timeoutError();
    this.abort(this.expired);
  }
}

/**
 * The deadline machinery of one run (or of one standalone `withRetry` call). Operations may
 * overlap; each still aborts at its own deadline.
 */
export class OperationDeadlines {
  readonly #host: AbortSignal | undefined;
  readonly #scope: RequestScope;
  readonly #live = new Set<DeadlineOperation>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerDueAt = 0;
  readonly #onHostAbort = (): void => {
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
    this.#scope = Object.freeze({ ...scope });
  }

  /** Starts an operation that aborts `deadlineMs` from now with `timeoutError()`. */
  begin(deadlineMs: number, timeoutError: () => unknown): DeadlineOperation {
    const now = Date.now();
    const operation = new DeadlineOperation(this.#scope, now + deadlineMs, timeoutError);
    if (this.#live.size === 0) this.#host?.addEventListener('abort', this.#onHostAbort, { once: true });
    this.#live.add(operation);
    if (this.#host?.aborted) {
      operation.abort(this.#host.reason);
      return operation;
    }
    if (this.#timer === null || operation.deadlineAt < this.#timerDueAt) this.#arm(operation.deadlineAt, now);
    // Optional: outside Node a timer handle may be a number without ref/unref.
    else this.#timer.ref?.();
    return operation;
  }

  /** Ends an operation; once none is live the timer no longer keeps the process alive. */
  end(operation: DeadlineOperation): void {
    this.#live.delete(operation);
    if (this.#live.size > 0) return;
    this.#host?.removeEventListener('abort', this.#onHostAbort);
    this.#timer?.unref?.();
  }

  /** Clears the timer (for a machinery used by a single operation). */
  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(dueAt: number, now: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerDueAt = dueAt;
    this.#timer = setTimeout(this.#onTimer, Math.max(dueAt - now, 1));
  }
}
