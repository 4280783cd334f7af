// GitLab's bulk read of known issues: the project's issue listing filtered by `iids[]`, with
// `state=all` (closed issues and moved originals included) and `per_page=100`, so up to 100 iids
// are answered in one page. A deleted issue is missing from the rows; a moved original is a closed
// row with `moved_to_id`. Shared by `checkGone` (deletions and moves) and `getIssues` (the issues).
import type { HttpClient } from '@spec-kitty/core';
import { type GitLabIssuePayload, gitLabIssueListSchema } from './gitlab-api-schemas';

/** Most iids one listing call asks for (GitLab's largest `per_page`, so they fit one page). */
export const GITLAB_BULK_READ_MAX = 100;

/** One listing call: the rows of the project's issues with these iids (at most 100). */
export type GitLabBulkRead = (
  iids: readonly string[],
  signal?: AbortSignal,
) => Promise<readonly GitLabIssuePayload[]>;

/** A `GitLabBulkRead` on the project at `projectPath` (`projects/<id>`); throws the HTTP client's errors. */
export function gitLabBulkRead(http: HttpClient, projectPath: string): GitLabBulkRead {
  return async (iids, signal) =>
    (
      await http.request({
        method: 'GET',
        path: `${projectPath}/issues`,
        query: { state: 'all', per_page: String(GITLAB_BULK_READ_MAX), 'iids[]': [...iids] },
        schema: gitLabIssueListSchema,
        ...(signal ? { signal } : {}),
      })
    ).data;
}
