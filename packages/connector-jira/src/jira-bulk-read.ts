// Jira's bulk read, `POST /rest/api/3/issue/bulkfetch`: up to 100 ids or keys per call. Issues
// deleted or not visible are left out of the answer; those Jira could not read now are listed in
// `issueErrors` (a retriable failure: never read as "missing"); an issue asked by an old key or id
// is answered as it is now (a moved issue under its new key and project). Shared by `checkGone`
// (deletions and moves) and `getIssues` (the issues themselves).
import { ConnectorRequestError, FailureClass, type HttpClient } from '@spec-kitty/core';
import { bulkIssueResultsSchema, type JiraIssueBean } from './jira-api-schemas';
import { JIRA_SYSTEM } from './jira-mapping';

/** Issues per bulkfetch call (Jira's documented maximum). */
export const JIRA_BULK_READ_MAX = 100;

/** One bulkfetch call: the issues Jira answered for these ids or keys (at most 100). */
export type JiraBulkRead = (
  idsOrKeys: readonly string[],
  signal?: AbortSignal,
) => Promise<readonly JiraIssueBean[]>;

/**
 * A `JiraBulkRead` asking for `fields` (bulkfetch answers `*navigable` when none are named). Throws
 * the HTTP client's errors, and a transient `ConnectorRequestError` when Jira lists `issueErrors`,
 * so a batch is answered whole or not at all.
 */
export function jiraBulkRead(http: HttpClient, fields: readonly string[]): JiraBulkRead {
  return async (idsOrKeys, signal) => {
    const response = await http.request({
      method: 'POST',
      path: '/rest/api/3/issue/bulkfetch',
      json: { issueIdsOrKeys: [...idsOrKeys], fields: [...fields] },
      schema: bulkIssueResultsSchema,
      // A read: safe to retry.
      idempotent: true,
      ...(signal !== undefined ? { signal } : {}),
    });
    const { issues, issueErrors } = response.data;
    if (issueErrors.length > 0) {
      const ids = issueErrors.map((error) => error.id ?? '?').join(', ');
      throw new ConnectorRequestError(
        `Jira could not read issue(s) ${ids} right now (bulkfetch issueErrors: ${issueErrors[0]?.errorMessage ?? 'no message'}); retry later.`,
        { provider: JIRA_SYSTEM, failureClass: FailureClass.TRANSIENT },
      );
    }
    return issues;
  };
}

/**
 * The project key an issue key names (`PROJ-12` → `PROJ`). Jira project keys hold no `-`, and an
 * issue's key follows it when the issue moves, so the key tells the project without asking for
 * the `project` field.
 */
export function projectOfIssueKey(key: string | undefined): string | null {
  if (key === undefined) return null;
  const dash = key.lastIndexOf('-');
  return dash > 0 ? key.slice(0, dash).toUpperCase() : null;
}
