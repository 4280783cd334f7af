// Who retries a request. Inside a sync run the engine owns the retry budget of each operation
// (a page, a create, an update): it hands the connector an AbortSignal tagged with this scope,
// connectors pass that signal to every request as they already do, and the HTTP client then
// makes exactly one attempt per request instead of multiplying the engine's retries by its own.
// The tag is a `Symbol.for` property so a second copy of core (nested installs) still sees it.

const SCOPE = Symbol.for('spec-kitty.request-scope');

/** Retry and timeout limits the caller sets for requests made inside `withRequestScope`. */
export interface RequestScope {
  /** The caller repeats the whole operation: transports make one attempt and never retry. */
  readonly callerRetries: boolean;
  /** Longest server-requested wait (seconds) the caller accepts; a longer one is a `RateLimitedError`. */
  readonly maxRetryAfterSeconds: number;
  /** Cap on each request's timeout (the shorter of this and the client's own wins); null = none. */
  readonly requestTimeoutMs: number | null;
}

/**
 * Tags `signal` (one the caller created, never a host's) with `scope` and returns it. A frozen
 * scope is kept as is (an engine tags every operation with the same one); any other is copied
 * and frozen, so a later change to the caller's object cannot change the tag.
 */
export function withRequestScope(signal: AbortSignal, scope: RequestScope): AbortSignal {
  const value = Object.isFrozen(scope) ? scope : Object.freeze({ ...scope });
  Object.defineProperty(signal, SCOPE, { value, enumerable: false });
  return signal;
}

/** The scope a signal carries, or null when the caller left retries to the transport. */
export function requestScopeOf(signal: AbortSignal | undefined): RequestScope | null {
  if (signal === undefined) return null;
  const scope = (signal as unknown as Record<symbol, unknown>)[SCOPE];
  return typeof scope === 'object' && scope !== null ? (scope as RequestScope) : null;
}
