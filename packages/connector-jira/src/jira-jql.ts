// JQL building. Jira reads a bare datetime ("2026-01-15 10:00") in the *calling user's profile
// time zone* with minute precision, so the original's `updated >= "<local strftime>"` misses
// updates for any user whose profile zone is ahead of the value's zone. We send epoch
// milliseconds (zone-free), one minute earlier than asked to cover minute truncation, and drop
// the overlap client-side (`isAtOrAfter`), so nothing is missed and nothing is returned twice.

/** Overlap subtracted from `updatedSince` before it goes into JQL. */
export const JQL_TIME_OVERLAP_MS = 60_000;

/** Escapes a value for a double-quoted JQL string (backslash first, then quotes). */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The epoch-ms threshold sent for `updatedSince`: truncated to the minute, minus the overlap,
 * never below 0 (JQL refuses a negative date).
 */
export function updatedThresholdMs(updatedSince: Date): number {
  const minute = Math.floor(updatedSince.getTime() / 60_000) * 60_000;
  return Math.max(0, minute - JQL_TIME_OVERLAP_MS);
}

export interface IssueSearchJqlInput {
  projectKey: string;
  filters?: Readonly<Record<string, unknown>> | undefined;
  updatedSince: Date | null;
}

const ORDER_BY = /\border\s+by\b/i;

function stringFilter(
  filters: Readonly<Record<string, unknown>> | undefined,
  ...names: string[]
): string | null {
  for (const name of names) {
    const value = filters?.[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/**
 * The JQL for `listIssues`, with the original's precedence: `query_key` > `query_text` > `jql` >
 * the project. Generated queries are ordered by `key` (immutable while paging, so an issue edited
 * mid-scan can neither be skipped nor shift others past the page token); a caller's own
 * `ORDER BY` is kept.
 */
export function buildIssueSearchJql(input: IssueSearchJqlInput): string {
  const { filters, projectKey } = input;
  const project = `project = ${jqlString(projectKey)}`;
  let where: string;
  let orderBy = 'ORDER BY key ASC';
  const queryKey = stringFilter(filters, 'query_key', 'queryKey');
  const queryText = stringFilter(filters, 'query_text', 'queryText');
  const raw = stringFilter(filters, 'jql');
  if (queryKey !== null) where = `key = ${jqlString(queryKey)}`;
  else if (queryText !== null) where = `${project} AND text ~ ${jqlString(queryText)}`;
  else if (raw !== null) {
    const match = ORDER_BY.exec(raw);
    if (match) {
      orderBy = raw.slice(match.index).trim();
      where = raw.slice(0, match.index).trim();
    } else where = raw.trim();
    if (input.updatedSince !== null && where.length > 0) where = `(${where})`;
  } else where = project;
  if (input.updatedSince !== null) {
    const clause = `updated >= ${updatedThresholdMs(input.updatedSince)}`;
    where = where.length > 0 ? `${where} AND ${clause}` : clause;
  }
  return `${where} ${orderBy}`.trim();
}

/** Boundary de-dup for the overlap: keep issues updated at or after `updatedSince`. */
export function isAtOrAfter(updatedAt: Date | null, updatedSince: Date | null): boolean {
  if (updatedSince === null || updatedAt === null) return true;
  return updatedAt.getTime() >= updatedSince.getTime();
}

/** JQL finding an issue created with `marker` (a label set atomically by `createIssue`). */
export function createdMarkerJql(projectKey: string, markerLabel: string): string {
  return `project = ${jqlString(projectKey)} AND labels = ${jqlString(markerLabel)} ORDER BY key ASC`;
}
