// GitLab project webhook deliveries, as documented at
// https://docs.gitlab.com/user/project/integrations/webhooks/ (headers: X-Gitlab-Event,
// X-Gitlab-Token = the hook's secret token verbatim, X-Gitlab-Instance, X-Gitlab-Webhook-UUID new
// per attempt, X-Gitlab-Event-UUID shared by the hooks of one change, Idempotency-Key stable
// across retries) and https://docs.gitlab.com/user/project/integrations/webhook_events/ (Issue
// Hook with `object_attributes.action` open/close/reopen/update and `changes`; Note Hook). GitLab
// sends no webhook when an issue is deleted, so the fake sends none either; a moved issue is the
// original closed with `moved_to_id` set.
import { randomUUID } from 'node:crypto';
import type { GitLabIssue, GitLabNote, GitLabProject, GitLabState, GitLabUser } from '../gitlab/gitlab-state';
import type { FakeWebhooks, WebhookFormat } from './fake-webhooks';

/** GitLab's delivery headers for an instance served at `webBase`. */
export function gitlabWebhookFormat(webBase: string): WebhookFormat {
  return {
    headers({ event, deliveryId, changeId, subscription }) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'GitLab/18.6.0',
        'x-gitlab-event': event,
        'x-gitlab-instance': webBase,
        'x-gitlab-webhook-uuid': randomUUID(),
        'x-gitlab-event-uuid': changeId,
        'idempotency-key': deliveryId,
      };
      if (subscription.secret !== '') headers['x-gitlab-token'] = subscription.secret;
      return headers;
    },
  };
}

/** The fields of an issue an update can change, as they were before it. */
export type GitLabIssueBefore = Pick<
  GitLabIssue,
  'title' | 'description' | 'state' | 'labels' | 'assignee_ids' | 'updated_at' | 'closed_at'
>;

/** A copy of the fields `gitlabIssueChanged` compares (take it before changing the issue). */
export function gitlabIssueBefore(issue: GitLabIssue): GitLabIssueBefore {
  const { title, description, state, labels, assignee_ids, updated_at, closed_at } = issue;
  return {
    title,
    description,
    state,
    labels: [...labels],
    assignee_ids: [...assignee_ids],
    updated_at,
    closed_at,
  };
}

/** GitLab writes webhook times as `2026-01-02 03:04:05 UTC`. */
function hookTime(iso: string | null): string | null {
  return iso === null ? null : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function hookUser(state: GitLabState, id: number): Record<string, unknown> {
  const user = state.users.get(id) as GitLabUser | undefined;
  return {
    id,
    name: user?.name ?? 'Unknown',
    username: user?.username ?? `user${id}`,
    avatar_url: null,
    email: '[REDACTED]',
  };
}

/** A stable id for a label name (the fake keeps labels as names). */
function labelId(title: string): number {
  let hash = 7;
  for (const char of title) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 1_000_000;
  return 1_000_000 + hash;
}

function hookLabels(issue: { labels: readonly string[] }, project: GitLabProject): Record<string, unknown>[] {
  return issue.labels.map((title) => ({
    id: labelId(title),
    title,
    color: '#6699cc',
    project_id: project.id,
    created_at: null,
    updated_at: null,
    template: false,
    description: null,
    type: 'ProjectLabel',
    group_id: null,
  }));
}

function hookProject(project: GitLabProject): Record<string, unknown> {
  const ssh = `git@${new URL(project.web_url).host}:${project.path_with_namespace}.git`;
  return {
    id: project.id,
    name: project.name,
    description: null,
    web_url: project.web_url,
    avatar_url: null,
    git_ssh_url: ssh,
    git_http_url: `${project.web_url}.git`,
    namespace: project.name_with_namespace.split(' / ').slice(0, -1).join(' / '),
    visibility_level: 0,
    path_with_namespace: project.path_with_namespace,
    default_branch: 'main',
    ci_config_path: null,
    homepage: project.web_url,
    url: ssh,
    ssh_url: ssh,
    http_url: `${project.web_url}.git`,
  };
}

function hookRepository(project: GitLabProject): Record<string, unknown> {
  return { name: project.name, url: `${project.web_url}.git`, description: null, homepage: project.web_url };
}

function issueAttributes(
  state: GitLabState,
  project: GitLabProject,
  issue: GitLabIssue,
): Record<string, unknown> {
  return {
    id: issue.id,
    iid: issue.iid,
    title: issue.title,
    description: issue.description,
    assignee_ids: [...issue.assignee_ids],
    assignee_id: issue.assignee_ids[0] ?? null,
    author_id: issue.author_id,
    project_id: issue.project_id,
    created_at: hookTime(issue.created_at),
    updated_at: hookTime(issue.updated_at),
    updated_by_id: state.currentUserId,
    closed_at: hookTime(issue.closed_at),
    state_id: issue.state === 'opened' ? 1 : 2,
    state: issue.state,
    confidential: false,
    discussion_locked: null,
    due_date: null,
    milestone_id: null,
    moved_to_id: issue.moved_to_id ?? null,
    duplicated_to_id: null,
    time_estimate: 0,
    total_time_spent: 0,
    human_time_estimate: null,
    human_total_time_spent: null,
    weight: null,
    health_status: null,
    type: 'Issue',
    url: `${project.web_url}/-/issues/${issue.iid}`,
    labels: hookLabels(issue, project),
  };
}

function scopes(project: GitLabProject): string[] {
  return [String(project.id), project.path_with_namespace];
}

function sendIssueHook(
  hooks: FakeWebhooks,
  state: GitLabState,
  issue: GitLabIssue,
  action: string,
  changes: Record<string, unknown>,
): void {
  const project = state.projects.get(issue.project_id);
  if (!hooks.active || project === undefined) return;
  hooks.emit(
    'Issue Hook',
    () => {
      const assignees = issue.assignee_ids.map((id) => hookUser(state, id));
      return {
        object_kind: 'issue',
        event_type: 'issue',
        user: hookUser(state, state.currentUserId),
        project: hookProject(project),
        object_attributes: { ...issueAttributes(state, project, issue), action },
        labels: hookLabels(issue, project),
        changes,
        repository: hookRepository(project),
        assignees,
        ...(assignees[0] ? { assignee: assignees[0] } : {}),
      };
    },
    scopes(project),
  );
}

/** Sends Issue Hook `open` for a new issue. */
export function gitlabIssueOpened(hooks: FakeWebhooks, state: GitLabState, issue: GitLabIssue): void {
  sendIssueHook(hooks, state, issue, 'open', {});
}

/**
 * Sends Issue Hook for an issue changed since `before`: `close` / `reopen` when the state moved,
 * else `update`, with GitLab's `changes` (previous/current) of what changed; nothing when nothing did.
 */
export function gitlabIssueChanged(
  hooks: FakeWebhooks,
  state: GitLabState,
  issue: GitLabIssue,
  before: GitLabIssueBefore,
): void {
  const project = state.projects.get(issue.project_id);
  if (!hooks.active || project === undefined) return;
  const changes: Record<string, unknown> = {};
  const diff = (key: string, previous: unknown, current: unknown) => {
    if (JSON.stringify(previous) !== JSON.stringify(current)) changes[key] = { previous, current };
  };
  diff('title', before.title, issue.title);
  diff('description', before.description, issue.description);
  diff('labels', hookLabels(before, project), hookLabels(issue, project));
  diff(
    'assignees',
    before.assignee_ids.map((id) => hookUser(state, id)),
    issue.assignee_ids.map((id) => hookUser(state, id)),
  );
  diff('state_id', before.state === 'opened' ? 1 : 2, issue.state === 'opened' ? 1 : 2);
  diff('closed_at', hookTime(before.closed_at), hookTime(issue.closed_at));
  if (Object.keys(changes).length === 0) return;
  diff('updated_at', hookTime(before.updated_at), hookTime(issue.updated_at));
  const action = before.state === issue.state ? 'update' : issue.state === 'closed' ? 'close' : 'reopen';
  sendIssueHook(hooks, state, issue, action, changes);
}

/** Sends Note Hook `create` for a comment on an issue. */
export function gitlabNoteAdded(
  hooks: FakeWebhooks,
  state: GitLabState,
  issue: GitLabIssue,
  note: GitLabNote,
): void {
  const project = state.projects.get(issue.project_id);
  if (!hooks.active || project === undefined) return;
  hooks.emit(
    'Note Hook',
    () => ({
      object_kind: 'note',
      event_type: 'note',
      user: hookUser(state, note.author_id),
      project_id: project.id,
      project: hookProject(project),
      object_attributes: {
        id: note.id,
        note: note.body,
        noteable_type: 'Issue',
        author_id: note.author_id,
        created_at: hookTime(note.created_at),
        updated_at: hookTime(note.updated_at),
        project_id: project.id,
        attachment: null,
        line_code: null,
        commit_id: '',
        noteable_id: issue.id,
        system: note.system,
        st_diff: null,
        url: `${project.web_url}/-/issues/${issue.iid}#note_${note.id}`,
        action: 'create',
      },
      repository: hookRepository(project),
      issue: { ...issueAttributes(state, project, issue) },
    }),
    scopes(project),
  );
}
