// The one shape of a connector's opaque `listIssues` cursor: `<prefix><base64url JSON>`, decoded
// only through a validator, and one error for anything else. Callers never see the state inside;
// the prefix versions the format so a connector can change it and still recognise old cursors.
import { ConnectorRequestError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';

/** A `listIssues` cursor the connector did not produce (or no longer understands). */
export class MalformedCursorError extends ConnectorRequestError {
  static override readonly errorName: string = 'MalformedCursorError';
}

/** Builds the error every connector raises for a cursor it cannot read. */
export function malformedCursorError(
  trackerName: string,
  provider: string,
  raw: string,
): MalformedCursorError {
  return new MalformedCursorError(
    `${trackerName}: malformed listIssues cursor ${JSON.stringify(raw.slice(0, 80))}; pass back the nextCursor of a previous page, or null to start over.`,
    { statusCode: null, failureClass: FailureClass.VALIDATION, provider },
  );
}

/** Options of `createOpaqueCursorCodec`. */
export interface OpaqueCursorCodecOptions<T> {
  /** Human name of the tracker, first in the error message (`GitHub`). */
  trackerName: string;
  /** Connector id put on the error (`github`). */
  provider: string;
  /** Version tag written before the payload (`gh1.`). */
  prefix: string;
  /** The decoded JSON as `T`, or undefined when it is not a valid state. */
  parse: (data: unknown) => T | undefined;
  /**
   * Reads a cursor without the prefix (an older format, e.g. the original's page numbers);
   * undefined means "not that either" and the cursor is malformed.
   */
  legacy?: (raw: string) => T | undefined;
}

/** Encodes a connector's paging state into an opaque cursor and decodes it back, validated. */
export interface OpaqueCursorCodec<T> {
  /** `<prefix><base64url JSON>` of the state. */
  encode(state: T): string;
  /** The state in `raw`; throws `MalformedCursorError` for anything this codec did not write. */
  decode(raw: string): T;
}

// base64url without padding, through btoa/atob so core needs no Node Buffer (same bytes as
// Buffer's 'base64url', so cursors written before keep decoding).
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new SyntaxError('not base64url');
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** A codec for one connector's cursor state. `encode` takes the JSON-ready state as is. */
export function createOpaqueCursorCodec<T>(options: OpaqueCursorCodecOptions<T>): OpaqueCursorCodec<T> {
  const { prefix, parse, legacy } = options;
  return {
    encode: (state) => prefix + toBase64Url(JSON.stringify(state)),
    decode(raw) {
      if (raw.startsWith(prefix)) {
        let data: unknown;
        try {
          data = JSON.parse(fromBase64Url(raw.slice(prefix.length)));
        } catch {
          data = undefined;
        }
        const state = data === undefined ? undefined : parse(data);
        if (state !== undefined) return state;
      } else if (legacy !== undefined) {
        const state = legacy(raw);
        if (state !== undefined) return state;
      }
      throw malformedCursorError(options.trackerName, options.provider, raw);
    },
  };
}

/** The original's page-number cursor (`"2"`): the page, or null when `raw` is not one. */
export function legacyPageNumber(raw: string): number | null {
  if (!/^\s*\d+\s*$/.test(raw)) return null;
  const page = Number(raw.trim());
  return page >= 1 && Number.isSafeInteger(page) ? page : null;
}
