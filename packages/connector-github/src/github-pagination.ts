// Pagination by the API's own signal. GitHub says "there is more" with a `Link: <…>; rel="next"`
// header. When a proxy strips response headers (older Nango), the only safe fallback is the
// short-page rule: a full page may have a successor, a short page is the last.

import { findLinkUrl } from '@spec-kitty/core/http';

/**
 * Headers GitHub sends on every REST answer. One of them without a `Link` proves the headers
 * reached us, so the missing `Link` means "one page only", not "stripped by a proxy".
 */
const GITHUB_RESPONSE_HEADERS = [
  'x-github-request-id',
  'x-github-media-type',
  'x-github-api-version-selected',
  'x-ratelimit-limit',
] as const;

/** The next link's URL from a `Link` header, or null (no header, or no rel="next"). */
export function parseNextLink(link: string | null | undefined): string | null {
  return findLinkUrl(link, 'next');
}

export interface PageSignal {
  /** True when another page exists. */
  hasNext: boolean;
  /** The next link (when the API sent one). */
  nextUrl: string | null;
  /** How the decision was made: the Link header, its absence from GitHub's answer, or the short-page fallback. */
  source: 'link' | 'no-link' | 'short-page';
}

/**
 * Decides whether another page exists. `rawCount` counts every row the API returned (pull requests
 * included), never the rows left after filtering, so a page of PRs does not end the scan early.
 */
export function pageSignal(headers: Headers, rawCount: number, perPage: number): PageSignal {
  const link = headers.get('link');
  if (link !== null) {
    const nextUrl = parseNextLink(link);
    return { hasNext: nextUrl !== null, nextUrl, source: 'link' };
  }
  // A full last page would otherwise cost one more (empty) request to prove it was the last.
  if (GITHUB_RESPONSE_HEADERS.some((name) => headers.has(name)))
    return { hasNext: false, nextUrl: null, source: 'no-link' };
  return { hasNext: rawCount >= perPage && rawCount > 0, nextUrl: null, source: 'short-page' };
}

/**
 * The query of a next link as a plain record, so the connector requests its own path with it
 * (GitHub may rewrite the path to `/repositories/{id}/…`, and hosted proxies may rewrite the host).
 */
export function nextLinkQuery(nextUrl: string): Record<string, string> {
  const query: Record<string, string> = {};
  try {
    for (const [key, value] of new URL(nextUrl, 'https://api.github.com').searchParams) query[key] = value;
  } catch {
    // An unparsable link carries no usable query.
  }
  return query;
}
