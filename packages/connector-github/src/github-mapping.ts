// GitHub issue payload <-> canonical issue. Read rules follow the original (labels by name, `bug`
// label => bug, logins as assignees, no priority) plus: `state_reason` (completed / not_planned)
// maps to done / canceled and back, `parent_issue_url` (sub-issues) becomes `parent`, and the
// hidden idempotency marker the connector writes into created bodies is stripped.
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
import { stripIdempotencyMarkers, uniqueSortedLinks } from '@spec-kitty/core/http';
import type { GitHubIssuePayload } from './github-api-schemas';

export const GITHUB_SYSTEM = 'github';

export function parseGitHubDate(value: string | null | undefined): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

/** `state` + `state_reason` -> canonical status (closed as not planned / duplicate = canceled). */
export function githubStateToStatus(
  state: string | null | undefined,
  stateReason?: string | null,
): CanonicalStatus {
  if (state !== 'closed') return CanonicalStatus.TODO;
  return stateReason === 'not_planned' || stateReason === 'duplicate'
    ? CanonicalStatus.CANCELED
    : CanonicalStatus.DONE;
}

export interface GitHubStatePatch {
  state: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned';
}

/** Canonical status -> PATCH fields: done = closed/completed, canceled = closed/not_planned, else open. */
export function statusToGitHubState(status: CanonicalStatus): GitHubStatePatch {
  if (status === CanonicalStatus.DONE) return { state: 'closed', state_reason: 'completed' };
  if (status === CanonicalStatus.CANCELED) return { state: 'closed', state_reason: 'not_planned' };
  return { state: 'open' };
}

export function workspaceOf(owner: string, repo: string): string {
  return `${owner}/${repo}`;
}

export function githubRef(
  workspace: string,
  number: number | string,
  url: string | null | undefined,
): ExternalRef {
  return createRef({
    system: GITHUB_SYSTEM,
    workspace,
    id: String(number),
    key: `#${number}`,
    url: url ?? '',
  });
}

/** `https://api.github.com/repos/{owner}/{repo}/issues/{n}` -> { workspace: "owner/repo", number }. */
export function parseIssueApiUrl(
  url: string | null | undefined,
): { workspace: string; number: number } | null {
  if (typeof url !== 'string') return null;
  const match = /\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/?$/.exec(url);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  return {
    workspace: `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`,
    number: Number(match[3]),
  };
}

/** The web URL of an issue from its API URL (github.com and GitHub Enterprise Server), or null. */
export function issueWebUrl(apiUrl: string | null | undefined): string | null {
  if (typeof apiUrl !== 'string') return null;
  const dotCom = /^https?:\/\/api\.github\.com\/repos\/(.+)$/.exec(apiUrl);
  if (dotCom?.[1]) return `https://github.com/${dotCom[1]}`;
  const enterprise = /^(https?:\/\/[^/]+)\/api\/v3\/repos\/(.+)$/.exec(apiUrl);
  if (enterprise?.[1] && enterprise[2]) return `${enterprise[1]}/${enterprise[2]}`;
  return null;
}

export function labelNames(payload: GitHubIssuePayload): string[] {
  const names: string[] = [];
  for (const label of payload.labels ?? []) {
    const name = typeof label === 'string' ? label : label.name;
    if (name) names.push(name);
  }
  return names;
}

/** The read rule for issue types: GitHub has none, a `bug` label (any case) means bug, else task. */
export function issueTypeFromLabels(labels: readonly string[]): CanonicalIssueType {
  return labels.some((label) => label.toLowerCase() === 'bug')
    ? CanonicalIssueType.BUG
    : CanonicalIssueType.TASK;
}

/** Link types GitHub holds and reads back: sub-issues (`parent_of`) and dependencies. A child's parent is `parent`. */
export const GITHUB_READ_LINK_TYPES: ReadonlySet<LinkType> = new Set([
  LinkType.PARENT_OF,
  LinkType.BLOCKS,
  LinkType.BLOCKED_BY,
]);

/** The relation lists worth reading for an issue, from the counts its listing payload carries. */
export function relationCounts(payload: GitHubIssuePayload): {
  children: number;
  blockedBy: number;
  blocking: number;
} {
  const summary = payload.issue_dependencies_summary;
  return {
    children: payload.sub_issues_summary?.total ?? 0,
    blockedBy: summary?.total_blocked_by ?? 0,
    blocking: summary?.total_blocking ?? 0,
  };
}

/**
 * Links in canonical order, each (type, target) once: by type, then target repository, then
 * numeric issue number. A sorted list compares equal however the links were made.
 */
export function githubLinkOrder(links: readonly CanonicalLink[]): CanonicalLink[] {
  return uniqueSortedLinks(links, { byWorkspace: true, numericIds: true });
}

/**
 * How `links` read back from GitHub: `parent_of`, `blocks` and `blocked_by` links to GitHub
 * issues (`child_of` is the `parent` field), in `githubLinkOrder`, each target reduced to its
 * repository and number so a link authored locally compares equal to the one read back.
 */
export function projectGitHubLinks(links: readonly CanonicalLink[]): CanonicalLink[] {
  return githubLinkOrder(
    links
      .filter((link) => link.target.system === GITHUB_SYSTEM && GITHUB_READ_LINK_TYPES.has(link.type))
      .map((link) =>
        createLink({ type: link.type, target: githubRef(link.target.workspace, link.target.id, null) }),
      ),
  );
}

/**
 * How `issue` reads back after the connector writes it (the sync engine's `projectIssue`): the
 * status goes through the same write and read tables (in_progress / in_review / blocked -> open ->
 * todo), the issue type follows the labels, links as `projectGitHubLinks`, and what GitHub has no
 * place for (priority, custom fields) reads back empty. Pure and idempotent.
 */
export function projectGitHubIssue(issue: CanonicalIssue): CanonicalIssue {
  const written = statusToGitHubState(issue.status);
  return {
    ...issue,
    status: githubStateToStatus(written.state, written.state_reason ?? null),
    issueType: issueTypeFromLabels(issue.labels),
    priority: null,
    links: projectGitHubLinks(issue.links),
    customFields: {},
  };
}

/**
 * Maps one GitHub issue payload to a canonical issue in `workspace` (`owner/repo`). `links` are
 * the sub-issues and dependencies the connector read for it (the payload only counts them).
 */
export function githubIssueToCanonical(
  payload: GitHubIssuePayload,
  workspace: string,
  links: readonly CanonicalLink[] = [],
): CanonicalIssue {
  const labels = labelNames(payload);
  const assignees = (payload.assignees ?? [])
    .map((user) => user?.login)
    .filter((login): login is string => typeof login === 'string' && login !== '');
  if (assignees.length === 0 && payload.assignee?.login) assignees.push(payload.assignee.login);
  const parentUrl = parseIssueApiUrl(payload.parent_issue_url);
  const title = typeof payload.title === 'string' && payload.title.trim() !== '' ? payload.title : 'Untitled';
  return createIssue({
    ref: githubRef(workspace, payload.number, payload.html_url),
    title,
    body: stripIdempotencyMarkers(payload.body),
    status: githubStateToStatus(payload.state ?? 'open', payload.state_reason),
    issueType: issueTypeFromLabels(labels),
    priority: null,
    assignees,
    labels,
    parent: parentUrl
      ? githubRef(parentUrl.workspace, parentUrl.number, issueWebUrl(payload.parent_issue_url))
      : null,
    links: githubLinkOrder(links),
    customFields: {},
    createdAt: parseGitHubDate(payload.created_at),
    updatedAt: parseGitHubDate(payload.updated_at),
    raw: payload as Record<string, unknown>,
  });
}
