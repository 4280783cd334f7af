// The hidden create marker of body-marker trackers (GitHub, GitLab): an HTML comment,
// invisible in rendered Markdown, appended to the body of an issue created with an idempotency
// key, so `findCreatedIssue` can prove after a crash that the create already happened. Mappers
// strip it, so it never reaches the canonical body.

const MARKER_PREFIX = '<!-- spec-kitty:idempotency-key=';
const MARKER_SOURCE = '<!-- spec-kitty:idempotency-key=[^\\s>]* -->';

/** A marker format an older version wrote; still found and stripped, never written. */
export interface LegacyIdempotencyMarker {
  /** The exact marker the older version wrote for `key`. */
  marker(key: string): string;
  /** Matches one such marker (any key); flags are ignored. */
  pattern: RegExp;
}

/** Options of the idempotency-marker helpers. */
export interface IdempotencyMarkerOptions {
  /** Older formats to recognise as well (a connector's own pre-0.x markers). */
  legacy?: readonly LegacyIdempotencyMarker[];
}

/** `<!-- spec-kitty:idempotency-key=<key, URI-encoded> -->`: the encoding keeps `-->` out of the key. */
export function idempotencyMarker(key: string): string {
  return `${MARKER_PREFIX}${encodeURIComponent(key)} -->`;
}

/** Appends the marker after a blank line (a null or empty body becomes the marker alone). */
export function withIdempotencyMarker(body: string | null, key: string): string {
  return body === null || body === '' ? idempotencyMarker(key) : `${body}\n\n${idempotencyMarker(key)}`;
}

function anyMarkerSource(options: IdempotencyMarkerOptions | undefined): string {
  return [MARKER_SOURCE, ...(options?.legacy ?? []).map((format) => format.pattern.source)]
    .map((source) => `(?:${source})`)
    .join('|');
}

/**
 * The body without markers: a trailing one goes with the blank line before it; one elsewhere
 * (text typed after it) just the comment. An empty result is null, so an issue created with a
 * null body reads back as null.
 */
export function stripIdempotencyMarkers(
  body: string | null | undefined,
  options?: IdempotencyMarkerOptions,
): string | null {
  if (body === null || body === undefined) return null;
  const any = anyMarkerSource(options);
  const stripped = body
    .replace(new RegExp(`(?:\\r?\\n)*(?:${any})\\s*$`), '')
    .replace(new RegExp(any, 'g'), '');
  return stripped === '' ? null : stripped;
}

/** True when `body` carries the marker of `key` (in the current or a legacy format). */
export function hasIdempotencyMarker(
  body: string | null | undefined,
  key: string,
  options?: IdempotencyMarkerOptions,
): boolean {
  if (typeof body !== 'string') return false;
  if (body.includes(idempotencyMarker(key))) return true;
  return (options?.legacy ?? []).some((format) => body.includes(format.marker(key)));
}

/** Every key marked in `body` in the current format (decoded; hand-broken encodings are skipped). */
export function idempotencyKeysIn(body: string): string[] {
  const keys: string[] = [];
  for (const match of body.matchAll(/<!-- spec-kitty:idempotency-key=([^\s>]*) -->/g)) {
    try {
      if (match[1] !== undefined) keys.push(decodeURIComponent(match[1]));
    } catch {
      // Not valid URI encoding: names no key.
    }
  }
  return keys;
}
