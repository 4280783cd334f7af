import { createOpaqueCursorCodec, findLinkUrl, legacyPageNumber } from '@spec-kitty/core/http';

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
    const nextUrl = findLinkUrl(link, 'next');
    if (nextUrl === null) return null;
    const page = Number(new URL(nextUrl, 'http://placeholder.invalid').searchParams.get('page'));
    return Number.isInteger(page) && page > currentPage ? page : currentPage + 1;
  }
  return rowCount >= perPage && rowCount > 0 ? currentPage + 1 : null;
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
   * The iids of `seen`, sent as `not[iids][]` so the inclusive `updated_after` does not spend
   * rows of the next page on issues already returned (absent in cursors of older versions).
   */
  seenIids?: number[];
  /**
   * True once the server was seen ignoring `order_by=updated_at&sort=asc` (older GitLab): the scan
   * then pages by offset inside the `after` window (no keyset step, no boundary de-duplication).
   */
  offset?: boolean;
}

/** The wire form: short keys, `x: 1` only for offset mode. */
interface WireCursor {
  a: string | null;
  s: number[];
  p: number;
  n?: number[];
  x?: 1;
}

const listCursors = createOpaqueCursorCodec<WireCursor | { legacyPage: number }>({
  trackerName: 'GitLab',
  provider: 'gitlab',
  prefix: 'gl1.',
  parse: (raw) => {
    const data = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const after = data.a === null || typeof data.a === 'string' ? data.a : undefined;
    const seen =
      Array.isArray(data.s) && data.s.every((id) => Number.isInteger(id)) ? (data.s as number[]) : undefined;
    const page = Number.isInteger(data.p) && (data.p as number) >= 1 ? (data.p as number) : undefined;
    if (after === undefined || seen === undefined || page === undefined) return undefined;
    const iids =
      Array.isArray(data.n) && data.n.every((iid) => Number.isInteger(iid)) ? (data.n as number[]) : null;
    return {
      a: after,
      s: seen,
      p: page,
      ...(iids !== null ? { n: iids } : {}),
      ...(data.x === 1 ? { x: 1 as const } : {}),
    };
  },
  // A bare page number (the original's cursor format) is read as an offset page.
  legacy: (raw) => {
    const page = legacyPageNumber(raw);
    return page === null ? undefined : { legacyPage: page };
  },
});

export function encodeListCursor(cursor: GitLabListCursor): string {
  return listCursors.encode({
    a: cursor.after,
    s: cursor.seen,
    p: cursor.page,
    ...(cursor.seenIids && cursor.seenIids.length > 0 ? { n: cursor.seenIids } : {}),
    ...(cursor.offset ? { x: 1 as const } : {}),
  });
}

/** Decodes a cursor; a bare page number (the original's cursor format) is read as an offset page. */
export function decodeListCursor(raw: string): GitLabListCursor | { legacyPage: number } {
  const decoded = listCursors.decode(raw);
  if ('legacyPage' in decoded) return decoded;
  return {
    after: decoded.a,
    seen: decoded.s,
    page: decoded.p,
    ...(decoded.n ? { seenIids: decoded.n } : {}),
    ...(decoded.x === 1 ? { offset: true } : {}),
  };
}
