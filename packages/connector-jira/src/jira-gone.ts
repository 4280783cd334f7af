// Deletion and move detection for known Jira issues (`checkGone`), on Jira's bulk read
// (`jira-bulk-read.ts`): it leaves out issues that are deleted or not visible, and answers a moved
// issue under its new key and project. A missing issue counts as deleted only once the project
// itself answers a search: a project the account lost access to hides every issue, and must not
// read as mass deletion.
import {
  ConnectorRequestError,
  createTombstone,
  type ExternalRef,
  FailureClass,
  type IssueTombstone,
} from '@spec-kitty/core';
import { batchesOf } from '@spec-kitty/core/http';
import { JIRA_BULK_READ_MAX, type JiraBulkRead } from './jira-bulk-read';
import { JIRA_SYSTEM, jiraRef } from './jira-mapping';

/** What `checkJiraGone` needs from the connector. */
export interface JiraGoneDeps {
  /** The site base URL (every ref's workspace). */
  readonly baseUrl: string;
  /** The configured project key. */
  readonly projectKey: string;
  /** `POST …/issue/bulkfetch` for these ids (fields: project); throws on `issueErrors` and HTTP errors. */
  readonly bulkRead: JiraBulkRead;
  /** True when a search of the project answers; false when Jira says the project is unknown to the account. */
  projectReadable(signal?: AbortSignal): Promise<boolean>;
}

function projectKeyOf(fields: Record<string, unknown> | null | undefined): string | null {
  const project = fields?.project;
  if (typeof project !== 'object' || project === null) return null;
  const key = (project as { key?: unknown }).key;
  return typeof key === 'string' ? key : null;
}

/** Tombstones of the refs that are deleted or moved to another project; live issues are omitted. */
export async function checkJiraGone(
  deps: JiraGoneDeps,
  refs: readonly ExternalRef[],
  signal?: AbortSignal,
): Promise<IssueTombstone[]> {
  const observedAt = new Date().toISOString();
  const tombstones: IssueTombstone[] = [];
  let readable: boolean | null = null;
  for (const batch of batchesOf(refs, JIRA_BULK_READ_MAX)) {
    const issues = await deps.bulkRead(
      batch.map((ref) => ref.id),
      signal,
    );
    const byId = new Map(issues.map((issue) => [issue.id, issue]));
    for (const ref of batch) {
      const issue = byId.get(ref.id);
      if (issue === undefined) {
        readable ??= await deps.projectReadable(signal);
        if (!readable) {
          throw new ConnectorRequestError(
            `Jira project ${deps.projectKey} is not visible to this account: its issues cannot be told deleted from hidden. Check the project key and the account's Browse projects permission.`,
            { provider: JIRA_SYSTEM, failureClass: FailureClass.PERMISSION },
          );
        }
        tombstones.push(createTombstone({ ref, reason: 'deleted', observedAt }));
        continue;
      }
      const project = projectKeyOf(issue.fields);
      if (project === null || project.toUpperCase() === deps.projectKey.toUpperCase()) continue;
      tombstones.push(
        createTombstone({
          ref,
          reason: 'moved',
          movedTo: jiraRef(deps.baseUrl, issue.id, issue.key ?? null),
          observedAt,
        }),
      );
    }
  }
  return tombstones;
}
