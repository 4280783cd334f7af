/** Note (comment) endpoints of the GitLab fake. */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { gitlabNoteAdded } from '../webhooks/gitlab-webhook-deliveries';
import { json, userJson } from './gitlab-json';
import {
  GITLAB_API_PREFIX,
  type GitLabRouteContext,
  paginate,
  withAuth,
  withIssue,
} from './gitlab-route-context';
import type { GitLabIssue, GitLabProject, GitLabUser } from './gitlab-state';

export function noteRoutes(context: GitLabRouteContext): RouteDefinition[] {
  const p = GITLAB_API_PREFIX;
  return [
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues/:iid/notes`,
      name: 'GET /projects/{id}/issues/{iid}/notes',
      handler: withAuth(
        context,
        withIssue(context, (request, project, issue) => listNotes(context, request, project, issue)),
      ),
    },
    {
      method: 'POST',
      pattern: `${p}/projects/:id/issues/:iid/notes`,
      name: 'POST /projects/{id}/issues/{iid}/notes',
      handler: withAuth(
        context,
        withIssue(context, (request, project, issue) => addNote(context, request, project, issue)),
      ),
    },
  ];
}

function listNotes(
  context: GitLabRouteContext,
  request: FakeRequest,
  project: GitLabProject,
  issue: GitLabIssue,
): FakeResponse {
  const { state } = context;
  const notes = state.notes.get(`${project.id}#${issue.iid}`) ?? [];
  return paginate(
    context,
    request,
    notes.map((note) => ({
      ...note,
      author: userJson(state, state.users.get(note.author_id) as GitLabUser),
      noteable_iid: issue.iid,
      noteable_type: 'Issue',
    })),
  );
}

function addNote(
  context: GitLabRouteContext,
  request: FakeRequest,
  project: GitLabProject,
  issue: GitLabIssue,
): FakeResponse {
  const { state } = context;
  const body = request.body as { body: string };
  const stamp = state.tick();
  const note = {
    id: state.nextId(),
    body: body.body,
    author_id: state.currentUserId,
    created_at: stamp,
    updated_at: stamp,
    system: false,
  };
  const key = `${project.id}#${issue.iid}`;
  state.notes.set(key, [...(state.notes.get(key) ?? []), note]);
  issue.updated_at = stamp; // a note bumps the issue's updated_at, as on GitLab
  gitlabNoteAdded(state.webhooks, state, issue, note);
  return json(201, {
    ...note,
    author: userJson(state, state.users.get(note.author_id) as GitLabUser),
    noteable_iid: issue.iid,
    noteable_type: 'Issue',
  });
}
