// Reads the rate-limit signals vendors send. The original only understood a numeric
// `Retry-After`; trackers actually use several header families with different reset units:
//   GitHub      x-ratelimit-remaining / x-ratelimit-reset (epoch seconds), retry-after (seconds)
//   GitLab      RateLimit-Remaining / RateLimit-Reset (epoch seconds), Retry-After (seconds)
//   Jira        Retry-After (seconds), X-RateLimit-Reset (ISO timestamp)
//   Linear      X-RateLimit-Requests-Remaining / -Reset (epoch MILLIseconds),
//               X-RateLimit-Complexity-Remaining / -Reset (epoch ms)
//   IETF draft  RateLimit-Reset (delta seconds)
// A reset value is therefore interpreted by magnitude: > 1e12 epoch ms, > 1e9 epoch seconds,
// otherwise a delta in seconds; non-numeric values are parsed as dates.

/** Upper bound on any wait we derive from headers (one day); larger values are garbage. */
const MAX_REASONABLE_WAIT_SECONDS = 86_400;

/** What a response's rate-limit headers say (null where absent). */
export interface RateLimitInfo {
  /** Requests (or points) allowed in the window, when the vendor says. */
  readonly limit: number | null;
  /** Requests left in the window; 0 means the next request will be refused. */
  readonly remaining: number | null;
  /** When the window resets, when the vendor says. */
  readonly resetAt: Date | null;
  /** Seconds to wait from `Retry-After`, when present. */
  readonly retryAfterSeconds: number | null;
}

/** Header families, most specific first; the first one present wins for each field. */
const REMAINING_HEADERS = [
  'x-ratelimit-requests-remaining',
  'x-ratelimit-complexity-remaining',
  'x-ratelimit-remaining',
  'ratelimit-remaining',
] as const;
const LIMIT_HEADERS = [
  'x-ratelimit-requests-limit',
  'x-ratelimit-complexity-limit',
  'x-ratelimit-limit',
  'ratelimit-limit',
] as const;
const RESET_HEADERS = [
  'x-ratelimit-requests-reset',
  'x-ratelimit-complexity-reset',
  'x-ratelimit-reset',
  'ratelimit-reset',
] as const;

function parseNumber(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

/**
 * `Retry-After` as whole seconds from `now`: a delta (`"120"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`). Dates in the past give 0. Garbage gives null.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return clampSeconds(Math.ceil(Number(trimmed)));
  const when = Date.parse(trimmed);
  if (Number.isNaN(when)) return null;
  return clampSeconds(Math.ceil((when - now) / 1000));
}

function clampSeconds(seconds: number): number | null {
  if (!Number.isFinite(seconds)) return null;
  return Math.min(Math.max(0, seconds), MAX_REASONABLE_WAIT_SECONDS);
}

/** A reset header value → absolute time (see the unit rules at the top of this file). */
export function parseResetValue(value: string | null | undefined, now: number = Date.now()): Date | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const numeric = parseNumber(trimmed);
  if (numeric !== null) {
    if (numeric > 1e12) return new Date(numeric);
    if (numeric > 1e9) return new Date(numeric * 1000);
    if (numeric < 0) return null;
    return new Date(now + numeric * 1000);
  }
  const when = Date.parse(trimmed);
  return Number.isNaN(when) ? null : new Date(when);
}

function firstHeader(headers: Headers, names: readonly string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null && value.trim() !== '') return value;
  }
  return null;
}

/** Everything the response says about rate limiting; fields are null when absent. */
export function readRateLimit(headers: Headers, now: number = Date.now()): RateLimitInfo {
  return {
    limit: parseNumber(firstHeader(headers, LIMIT_HEADERS)),
    remaining: parseNumber(firstHeader(headers, REMAINING_HEADERS)),
    resetAt: parseResetValue(firstHeader(headers, RESET_HEADERS), now),
    retryAfterSeconds: parseRetryAfter(headers.get('retry-after'), now),
  };
}

/** True when a remaining-counter header says the window is exhausted. */
export function isQuotaExhausted(headers: Headers): boolean {
  for (const name of REMAINING_HEADERS) {
    const remaining = parseNumber(headers.get(name));
    if (remaining !== null && remaining <= 0) return true;
  }
  return false;
}

/**
 * Seconds to wait before retrying a refused request: `Retry-After` first; for rate-limited
 * responses without it, the time until the window resets. Null when the response says nothing.
 */
export function waitSecondsFromHeaders(
  headers: Headers,
  options: { rateLimited: boolean; now?: number },
): number | null {
  const now = options.now ?? Date.now();
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== null) return retryAfter;
  if (!options.rateLimited) return null;
  const resetAt = parseResetValue(firstHeader(headers, RESET_HEADERS), now);
  if (resetAt === null) return null;
  return clampSeconds(Math.ceil((resetAt.getTime() - now) / 1000));
}
