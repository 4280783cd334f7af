// URL building for the HTTP client: base + path joining, query encoding, and the credentials a
// URL may embed (which are secrets to redact like any header value).
import type { QueryValue } from '../protocol/http-client';

/** `{baseUrl}/{path without leading slash}`; an absolute `path` is used as is. */
export function joinUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  // An empty path is the base itself (a GraphQL endpoint), not `{base}/`.
  if (path === '' || path === '/') return path === '' ? baseUrl : `${baseUrl}/`;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Appends `query` (null/undefined values skipped, arrays repeated) to `url`. */
export function appendQuery(url: string, query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return url;
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) parsed.searchParams.append(key, String(item));
    else parsed.searchParams.append(key, String(value));
  }
  return parsed.toString();
}

/** Credentials embedded in a URL (`https://user:pass@host`) are secrets too. */
export function userInfoSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return [];
    return [`${parsed.username}:${parsed.password}`, parsed.password, decodeURIComponent(parsed.password)];
  } catch {
    return [];
  }
}
