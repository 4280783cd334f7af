/** Response bodies of the GitLab fake: users and issues as GitLab renders them, plain JSON answers. */
import type { FakeResponse } from '../server/fake-server';
import type { GitLabIssue, GitLabState, GitLabUser } from './gitlab-state';

export function json(status: number, body: unknown, headers?: Record<string, string>): FakeResponse {
  return headers ? { status, body, headers } : { status, body };
}

export const notFound = (what: string): FakeResponse => json(404, { message: `404 ${what} Not Found` });

export function userJson(state: GitLabState, user: GitLabUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    avatar_url: null,
    web_url: `${state.webBase}/${user.username}`,
  };
}

/**
 * Whether the current user gets notifications of `issue` (GitLab's `subscribed`): the fake has no
 * explicit subscriptions, so a participant (author, assignee, note author) is subscribed.
 */
function subscribed(state: GitLabState, issue: GitLabIssue): boolean {
  const me = state.currentUserId;
  return (
    issue.author_id === me ||
    issue.assignee_ids.includes(me) ||
    (state.notes.get(`${issue.project_id}#${issue.iid}`) ?? []).some((note) => note.author_id === me)
  );
}

/**
 * An issue as GitLab's `Entities::Issue` renders it. `single: true` for the single-issue answers
 * (read, create, edit), which alone carry `subscribed`: listings (and issue links) pass
 * `include_subscribed: false`, since GitLab will not compute it for every row.
 */
export function issueJson(
  state: GitLabState,
  issue: GitLabIssue,
  options: { single?: boolean } = {},
): Record<string, unknown> {
  const project = state.projects.get(issue.project_id);
  const assignees = issue.assignee_ids
    .map((id) => state.users.get(id))
    .filter((user): user is GitLabUser => user !== undefined)
    .map((user) => userJson(state, user));
  const author = state.users.get(issue.author_id);
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.project_id,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    closed_by: null,
    moved_to_id: issue.moved_to_id ?? null,
    labels: [...issue.labels],
    milestone: null,
    assignees,
    assignee: assignees[0] ?? null,
    author: author ? userJson(state, author) : null,
    type: 'ISSUE',
    issue_type: 'issue',
    user_notes_count: state.notes.get(`${issue.project_id}#${issue.iid}`)?.length ?? 0,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    discussion_locked: null,
    web_url: `${project?.web_url ?? state.webBase}/-/issues/${issue.iid}`,
    references: {
      short: `#${issue.iid}`,
      relative: `#${issue.iid}`,
      full: `${project?.path_with_namespace ?? ''}#${issue.iid}`,
    },
    time_stats: {
      time_estimate: 0,
      total_time_spent: 0,
      human_time_estimate: null,
      human_total_time_spent: null,
    },
    task_completion_status: { count: 0, completed_count: 0 },
    ...(options.single === true ? { subscribed: subscribed(state, issue) } : {}),
  };
}
