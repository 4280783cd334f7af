/**
 * WIQL builders. Dates are sent as full ISO timestamps, which the service accepts only with
 * `timePrecision=true` on the query string (the connector always sets it). The project is
 * matched with `@project` (the project in the URL), so names with quotes need no escaping.
 */

export const WIQL_MAX_RESULTS = 20_000;

export function wiqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Ids changed in `[from, to)`, oldest change first (ties by id). */
export function changedWindowQuery(from: Date | null, to: Date | null): string {
  const conditions = ['[System.TeamProject] = @project'];
  if (from) conditions.push(`[System.ChangedDate] >= ${wiqlString(from.toISOString())}`);
  if (to) conditions.push(`[System.ChangedDate] < ${wiqlString(to.toISOString())}`);
  return `SELECT [System.Id] FROM WorkItems WHERE ${conditions.join(' AND ')} ORDER BY [System.ChangedDate] ASC, [System.Id] ASC`;
}

/** Ids in `[from, to)` (full scans: ids are unique, so a window of `cap` ids always fits). */
export function idWindowQuery(from: number, to: number | null): string {
  const conditions = ['[System.TeamProject] = @project', `[System.Id] >= ${Math.trunc(from)}`];
  if (to !== null) conditions.push(`[System.Id] < ${Math.trunc(to)}`);
  return `SELECT [System.Id] FROM WorkItems WHERE ${conditions.join(' AND ')} ORDER BY [System.Id] ASC`;
}

/** True for the VS402337 "more than 20,000 results" error. */
export function isResultCapError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes('VS402337');
}

/** The midpoint of a window (ms precision); null when it cannot be split further. */
export function splitWindow(from: Date, to: Date): Date | null {
  const mid = Math.floor((from.getTime() + to.getTime()) / 2);
  return mid > from.getTime() && mid < to.getTime() ? new Date(mid) : null;
}

/** The cap stated in a VS402337 message ("exceeds the size limit of 20000"), or null. */
export function learnedResultCap(error: unknown): number | null {
  const message = error instanceof Error ? error.message : String(error);
  const match = /size limit of (\d[\d,]*)/.exec(message);
  if (!match?.[1]) return null;
  const value = Number(match[1].replace(/,/g, ''));
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** Work items with exactly this title (newest first): candidates for `findCreatedIssue`. */
export function titleQuery(title: string): string {
  return `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Title] = ${wiqlString(title)} ORDER BY [System.Id] DESC`;
}
