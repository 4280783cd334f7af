import { ConnectorRequestError, FailureClass } from '@spec-kitty/core';

/**
 * Which page comes next, from the strongest signal available:
 * 1. `X-Next-Page` (empty = last page);
 * 2. the `Link` header's `rel="next"` URL (its `page` parameter);
 * 3. when a proxy stripped both (older Nango drops vendor headers on 2xx): a full page means
 *    "maybe more", a short page means "done".
 * Never uses `X-Total`/`X-Total-Pages`, which GitLab omits above 10,000 rows.
 */
export function nextPageFrom(
  headers: Headers,
  currentPage: number,
  rowCount: number,
  perPage: number,
): number | null {
  const header = headers.get('x-next-page');
  if (header !== null) {
    const trimmed = header.trim();
    if (trimmed === '') return null;
    const page = Number(trimmed);
    if (Number.isInteger(page) && page > currentPage) return page;
  }
  const link = headers.get('link');
  if (link !== null && link.trim() !== '') {
    const nextUrl = parseNextLink(link);
    if (nextUrl === null) return null;
    const page = Number(new URL(nextUrl, 'http://placeholder.invalid').searchParams.get('page'));
    return Number.isInteger(page) && page > currentPage ? page : currentPage + 1;
  }
  return rowCount >= perPage && rowCount > 0 ? currentPage + 1 : null;
}

/** The URL of `rel="next"` in an RFC 8288 `Link` header, or null. */
export function parseNextLink(link: string): string | null {
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel\s*=\s*"?next"?/.test(match[2] ?? '')) return match[1] ?? null;
  }
  return null;
}

/**
 * The `listIssues` cursor: a keyset position over `order_by=updated_at&sort=asc`.
 * `after` is the `updated_after` bound (inclusive on GitLab), `seen` the ids already returned whose
 * `updated_at` equals `after` (de-duplicated at the boundary), `page` the offset inside the window
 * (only > 1 when more than a page of issues share one timestamp). Keyset instead of page numbers
 * means an issue edited mid-scan (which moves to the end of the order) never shifts another issue
 * past a page boundary unseen.
 */
export interface GitLabListCursor {
  after: string | null;
  seen: number[];
  page: number;
  /**
   * True once the server was seen ignoring `order_by=updated_at&sort=asc` (older GitLab): the scan
   * then pages by offset inside the `after` window (no keyset step, no boundary de-duplication).
   */
  offset?: boolean;
}

const PREFIX = 'gl1.';

export function encodeListCursor(cursor: GitLabListCursor): string {
  return (
    PREFIX +
    Buffer.from(
      JSON.stringify({ a: cursor.after, s: cursor.seen, p: cursor.page, ...(cursor.offset ? { x: 1 } : {}) }),
      'utf8',
    ).toString('base64url')
  );
}

/** Decodes a cursor; a bare page number (the original's cursor format) is read as an offset page. */
export function decodeListCursor(raw: string): GitLabListCursor | { legacyPage: number } {
  if (/^\s*\d+\s*$/.test(raw)) {
    const page = Number(raw.trim());
    if (page >= 1) return { legacyPage: page };
  }
  if (raw.startsWith(PREFIX)) {
    try {
      const data = JSON.parse(Buffer.from(raw.slice(PREFIX.length), 'base64url').toString('utf8')) as {
        a?: unknown;
        s?: unknown;
        p?: unknown;
        x?: unknown;
      };
      const after = data.a === null || typeof data.a === 'string' ? data.a : undefined;
      const seen =
        Array.isArray(data.s) && data.s.every((id) => Number.isInteger(id))
          ? (data.s as number[])
          : undefined;
      const page = Number.isInteger(data.p) && (data.p as number) >= 1 ? (data.p as number) : undefined;
      if (after !== undefined && seen !== undefined && page !== undefined)
        return data.x === 1 ? { after, seen, page, offset: true } : { after, seen, page };
    } catch {
      // fall through
    }
  }
  throw new ConnectorRequestError(
    `GitLab: malformed listIssues cursor ${JSON.stringify(raw.slice(0, 80))}; pass back the nextCursor of a previous page, or null to start over.`,
    { statusCode: null, failureClass: FailureClass.VALIDATION, provider: 'gitlab' },
  );
}
