// Deletion and move detection for GitLab issues. GitLab deletes an issue outright (it leaves the
// listing, and its endpoints answer 404), and a move leaves the original behind, closed, with
// `moved_to_id` (the new issue's global id; resolving that to a project needs an admin-only
// endpoint, so `movedTo` stays null). `checkGone` reads known iids in bulk (`gitlab-bulk-read.ts`:
// the project's listing by `iids[]`, up to 100 per call): a listing that answers proves the project
// is readable, so an iid missing from it is deleted; a row with `moved_to_id` is moved. Failures
// propagate.
import {
  createTombstone,
  type ExternalRef,
  type IssueTombstone,
  TrackerContractError,
} from '@spec-kitty/core';
import { batchesOf } from '@spec-kitty/core/http';
import type { GitLabIssuePayload } from './gitlab-api-schemas';
import { GITLAB_BULK_READ_MAX, type GitLabBulkRead } from './gitlab-bulk-read';
import { GITLAB_SYSTEM } from './gitlab-mapping';

/** The tombstone a listed row stands for (a moved original), or null for a live issue. */
export function gitLabMovedTombstone(
  payload: GitLabIssuePayload,
  workspace: string,
  observedAt: string,
): IssueTombstone | null {
  if (typeof payload.moved_to_id !== 'number') return null;
  return createTombstone({
    ref: {
      system: GITLAB_SYSTEM,
      workspace,
      id: String(payload.iid),
      key: String(payload.iid),
      url: payload.web_url ?? null,
    },
    reason: 'moved',
    observedAt,
  });
}

/** What `checkGitLabGone` needs from the connector. */
export interface GitLabGoneDeps {
  /** The connector's project (every ref's workspace). */
  readonly workspace: string;
  /** Rows of the project's issues with these iids (`state=all`); throws the HTTP client's errors. */
  readonly listByIids: GitLabBulkRead;
}

/** Tombstones of the refs that are deleted or moved away; live issues are omitted. */
export async function checkGitLabGone(
  deps: GitLabGoneDeps,
  refs: readonly ExternalRef[],
  signal?: AbortSignal,
): Promise<IssueTombstone[]> {
  for (const ref of refs) {
    if (ref.workspace !== deps.workspace || !/^\d+$/.test(ref.id.trim())) {
      throw new TrackerContractError(
        `GitLab checkGone takes refs of project ${deps.workspace} with an issue iid, got ${ref.workspace}:${ref.id}; use a connector bound to that project and the refs it returned.`,
        { provider: GITLAB_SYSTEM, kind: 'ref', fieldPath: 'ref', reason: 'REF-001' },
      );
    }
  }
  const observedAt = new Date().toISOString();
  const tombstones: IssueTombstone[] = [];
  for (const batch of batchesOf(refs, GITLAB_BULK_READ_MAX)) {
    const rows = await deps.listByIids(
      batch.map((ref) => ref.id.trim()),
      signal,
    );
    const byIid = new Map(rows.map((row) => [String(row.iid), row]));
    for (const ref of batch) {
      const row = byIid.get(ref.id.trim());
      if (row === undefined) {
        tombstones.push(createTombstone({ ref, reason: 'deleted', observedAt }));
        continue;
      }
      if (typeof row.moved_to_id === 'number')
        tombstones.push(createTombstone({ ref, reason: 'moved', observedAt }));
    }
  }
  return tombstones;
}
