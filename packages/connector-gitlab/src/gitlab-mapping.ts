import {
  type CanonicalIssue,
  CanonicalIssueType,
  type CanonicalLink,
  CanonicalStatus,
  createIssue,
  createLink,
  createRef,
  type ExternalRef,
  LinkType,
} from '@spec-kitty/core';
import {
  hasIdempotencyMarker,
  type LegacyIdempotencyMarker,
  stripIdempotencyMarkers,
  uniqueSortedLinks,
} from '@spec-kitty/core/http';
import type { GitLabIssuePayload } from './gitlab-api-schemas';

export const GITLAB_SYSTEM = 'gitlab';

/** GitLab states → canonical: `closed` → done, anything else (incl. `opened`) → todo (as the original). */
export function gitLabStateToStatus(state: string): CanonicalStatus {
  return state === 'closed' ? CanonicalStatus.DONE : CanonicalStatus.TODO;
}

/** Canonical → the GitLab state it ends in: done/canceled are `closed`, everything else `opened`. */
export function statusToGitLabState(status: CanonicalStatus): 'opened' | 'closed' {
  return status === CanonicalStatus.DONE || status === CanonicalStatus.CANCELED ? 'closed' : 'opened';
}

/** Canonical link type → GitLab `link_type` (`blocks`/`is_blocked_by` need GitLab Premium). */
export function linkTypeToGitLab(type: LinkType): 'blocks' | 'is_blocked_by' | 'relates_to' {
  if (type === LinkType.BLOCKS) return 'blocks';
  if (type === LinkType.BLOCKED_BY) return 'is_blocked_by';
  return 'relates_to';
}

export function gitLabLinkTypeToCanonical(type: string): LinkType {
  if (type === 'blocks') return LinkType.BLOCKS;
  if (type === 'is_blocked_by') return LinkType.BLOCKED_BY;
  return LinkType.RELATES_TO;
}

/**
 * The create marker GitLab connectors before the shared format wrote
 * (`<!-- spec-kitty-create:<key, "--" collapsed, ">" dropped> -->`). Issues created then must
 * still be found by `findCreatedIssue` and read back without it, so it stays a legacy format
 * of core's marker (`<!-- spec-kitty:idempotency-key=… -->`, written since).
 */
export const LEGACY_GITLAB_CREATE_MARKER: LegacyIdempotencyMarker = {
  marker: (key) => `<!-- spec-kitty-create:${key.replace(/--+/g, '-').replace(/>/g, '')} -->`,
  pattern: /<!-- spec-kitty-create:[^>]*? -->/,
};

const MARKER_OPTIONS = { legacy: [LEGACY_GITLAB_CREATE_MARKER] } as const;

/** Whether `description` carries the create marker of `idempotencyKey` (either format). */
export function hasCreateMarker(description: string | null | undefined, idempotencyKey: string): boolean {
  return hasIdempotencyMarker(description, idempotencyKey, MARKER_OPTIONS);
}

export function parseTimestamp(value: string | null | undefined): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * Optional status labels (e.g. scoped labels `workflow::in progress`): GitLab issues are only
 * opened/closed, so without them in_progress, in_review and blocked read back as todo and
 * canceled as done. Configured labels are written with the status and hidden from `labels`.
 */
export type GitLabStatusLabels = Readonly<Partial<Record<CanonicalStatus, string>>>;

const OPEN_ORDER: readonly CanonicalStatus[] = [
  CanonicalStatus.BLOCKED,
  CanonicalStatus.IN_REVIEW,
  CanonicalStatus.IN_PROGRESS,
  CanonicalStatus.TODO,
];

export function statusLabelValues(statusLabels: GitLabStatusLabels): string[] {
  return Object.values(statusLabels).filter(
    (label): label is string => typeof label === 'string' && label !== '',
  );
}

/** Status from state + status labels (closed: canceled if its label is present, else done). */
export function gitLabStatus(
  state: string,
  labels: readonly string[],
  statusLabels: GitLabStatusLabels,
): CanonicalStatus {
  const has = (status: CanonicalStatus) => {
    const label = statusLabels[status];
    return label !== undefined && labels.includes(label);
  };
  if (state === 'closed')
    return has(CanonicalStatus.CANCELED) ? CanonicalStatus.CANCELED : CanonicalStatus.DONE;
  for (const status of OPEN_ORDER) if (has(status)) return status;
  return CanonicalStatus.TODO;
}

/** GitLab has no issue types: a `bug` label (any case) reads as bug, anything else as task. */
export function issueTypeFromLabels(labels: readonly string[]): CanonicalIssueType {
  return labels.some((label) => label.toLowerCase() === 'bug')
    ? CanonicalIssueType.BUG
    : CanonicalIssueType.TASK;
}

/**
 * Links in canonical order, each (type, target) once: by type, then target project, then
 * numeric iid. A sorted list compares equal however the links were made.
 */
export function gitLabLinkOrder(links: readonly CanonicalLink[]): CanonicalLink[] {
  return uniqueSortedLinks(links, { byWorkspace: true, numericIds: true });
}

/** A link target as the links endpoint reads it back: project and iid only. */
export function gitLabLinkTarget(workspace: string, iid: string | number): ExternalRef {
  return createRef({ system: GITLAB_SYSTEM, workspace, id: String(iid), key: String(iid) });
}

/**
 * How `links` read back from GitLab: links to GitLab issues (a target without a workspace is in
 * `ownProject`), as the `link_type` they are written with reads back (blocks, blocked_by, anything
 * else relates_to), in `gitLabLinkOrder`, each target reduced to project and iid.
 */
export function projectGitLabLinks(links: readonly CanonicalLink[], ownProject: string): CanonicalLink[] {
  return gitLabLinkOrder(
    links
      .filter((link) => link.target.system === GITLAB_SYSTEM)
      .map((link) =>
        createLink({
          type: gitLabLinkTypeToCanonical(linkTypeToGitLab(link.type)),
          target: gitLabLinkTarget(linkTargetProject(link.target, ownProject), link.target.id.trim()),
        }),
      ),
  );
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`): the
 * labels and state the connector writes (its status label, if configured, replaces any other),
 * read back through `gitLabStatus` and the label filter. Without `statusLabels`, in_progress /
 * in_review / blocked read back as todo and canceled as done. Links read back as
 * `projectGitLabLinks` and the parent as `projectGitLabParent` when the connector reads relations
 * (`links.ownProject` given), else empty and null. GitLab keeps no priority or custom fields in
 * this mapping, and an empty description reads back null. Pure and idempotent.
 */
export function projectGitLabIssue(
  issue: CanonicalIssue,
  statusLabels: GitLabStatusLabels = {},
  links: { ownProject: string } | null = null,
): CanonicalIssue {
  const hidden = statusLabelValues(statusLabels);
  const labels = issue.labels.filter((label) => !hidden.includes(label));
  const statusLabel = statusLabels[issue.status];
  const written = statusLabel ? [...labels, statusLabel] : labels;
  return {
    ...issue,
    body: issue.body === '' ? null : issue.body,
    status: gitLabStatus(statusToGitLabState(issue.status), written, statusLabels),
    issueType: issueTypeFromLabels(written),
    priority: null,
    labels,
    parent: links === null ? null : projectGitLabParent(issue.parent, links.ownProject),
    links: links === null ? [] : projectGitLabLinks(issue.links, links.ownProject),
    customFields: {},
  };
}

/**
 * `raw` of an issue: its payload as the project's listing gives it. Single-issue answers (read,
 * create, edit) add `subscribed`, the token user's notification setting, which listings leave out;
 * it is not issue data, and without it `getIssue`, `getIssues` and `listIssues` read one issue alike.
 */
function listedRaw(payload: GitLabIssuePayload): Record<string, unknown> {
  // Listing rows (every issue of a pull) have no `subscribed`: kept as they are, not copied.
  if (!('subscribed' in payload)) return payload as Record<string, unknown>;
  const { subscribed: _viewerSetting, ...row } = payload as Record<string, unknown>;
  return row;
}

/** A GitLab issue payload → canonical issue (§4 of the original, body without the create marker). */
export function gitLabIssueToCanonical(
  payload: GitLabIssuePayload,
  workspace: string,
  statusLabels: GitLabStatusLabels = {},
  links: readonly CanonicalLink[] = [],
  parent: ExternalRef | null = null,
): CanonicalIssue {
  const allLabels = (payload.labels ?? []).map(String);
  const hidden = statusLabelValues(statusLabels);
  const labels = allLabels.filter((label) => !hidden.includes(label));
  const description = payload.description ?? null;
  // An empty description reads as null (GitLab stores a cleared description as ""), so a
  // null body written by the engine reads back equal.
  const body = stripIdempotencyMarkers(description, MARKER_OPTIONS);
  return createIssue({
    ref: createRef({
      system: GITLAB_SYSTEM,
      workspace,
      id: String(payload.iid),
      key: String(payload.iid),
      url: payload.web_url ?? '',
    }),
    title: payload.title || 'Untitled',
    body,
    status: gitLabStatus(payload.state, allLabels, statusLabels),
    issueType: issueTypeFromLabels(allLabels),
    priority: null,
    assignees: (payload.assignees ?? []).map((user) => user.username).filter((name) => name !== ''),
    labels,
    parent,
    links: gitLabLinkOrder(links),
    customFields: {},
    createdAt: parseTimestamp(payload.created_at),
    updatedAt: parseTimestamp(payload.updated_at),
    raw: listedRaw(payload),
  });
}

/**
 * How a parent reads back: a GitLab ref reduced to workspace (the own project when blank), iid and
 * key (the iid unless it carries one, such as an epic's `group&iid`); any other ref as null
 * (GitLab cannot hold it). The connector reads parents and never writes them.
 */
export function projectGitLabParent(parent: ExternalRef | null, ownProject: string): ExternalRef | null {
  if (parent === null || parent.system !== GITLAB_SYSTEM) return null;
  const id = parent.id.trim();
  return createRef({
    system: GITLAB_SYSTEM,
    workspace: linkTargetProject(parent, ownProject),
    id,
    key: parent.key?.trim() ? parent.key : id,
  });
}

/** The project a link target lives in: a GitLab ref's workspace, else the connector's project. */
export function linkTargetProject(target: ExternalRef, ownProject: string): string {
  return target.system === GITLAB_SYSTEM && target.workspace.trim() !== '' ? target.workspace : ownProject;
}
