/** Issue link endpoints of the GitLab fake (`relates_to`, `blocks`, `is_blocked_by`). */
import type { FakeRequest, FakeResponse, RouteDefinition } from '../server/fake-server';
import { issueJson, json, notFound } from './gitlab-json';
import { GITLAB_API_PREFIX, type GitLabRouteContext, withAuth, withIssue } from './gitlab-route-context';
import type { GitLabIssue, GitLabIssueLink, GitLabProject, GitLabState } from './gitlab-state';

type GitLabIssueLinkType = 'relates_to' | 'blocks' | 'is_blocked_by';

export function linkRoutes(context: GitLabRouteContext): RouteDefinition[] {
  const p = GITLAB_API_PREFIX;
  return [
    {
      method: 'GET',
      pattern: `${p}/projects/:id/issues/:iid/links`,
      name: 'GET /projects/{id}/issues/{iid}/links',
      handler: withAuth(
        context,
        withIssue(context, (_request, project, issue) => linksOf(context, project, issue)),
      ),
    },
    {
      method: 'POST',
      pattern: `${p}/projects/:id/issues/:iid/links`,
      name: 'POST /projects/{id}/issues/{iid}/links',
      handler: withAuth(
        context,
        withIssue(context, (request, project, issue) => addLink(context, request, project, issue)),
      ),
    },
  ];
}

/** One link of an issue as seen from it: the other issue and the type from this side. */
export interface GitLabLinkView {
  link: GitLabIssueLink;
  other: GitLabIssue;
  type: GitLabIssueLinkType;
}

/** The issue's links, each seen from this issue (a `blocks` link reads `is_blocked_by` from its target). */
export function linkViews(state: GitLabState, projectId: number, issue: GitLabIssue): GitLabLinkView[] {
  const views: GitLabLinkView[] = [];
  for (const link of state.links) {
    let other: GitLabIssue | undefined;
    let type: GitLabIssueLinkType = link.link_type;
    if (link.source_project_id === projectId && link.source_iid === issue.iid) {
      other = state.getIssue(link.target_project_id, link.target_iid);
    } else if (link.target_project_id === projectId && link.target_iid === issue.iid) {
      other = state.getIssue(link.source_project_id, link.source_iid);
      type =
        link.link_type === 'blocks'
          ? 'is_blocked_by'
          : link.link_type === 'is_blocked_by'
            ? 'blocks'
            : link.link_type;
    }
    if (other) views.push({ link, other, type });
  }
  return views;
}

function linksOf(context: GitLabRouteContext, project: GitLabProject, issue: GitLabIssue): FakeResponse {
  const { state } = context;
  const rows = linkViews(state, project.id, issue).map(({ link, other, type }) => ({
    ...issueJson(state, other),
    issue_link_id: link.issue_link_id,
    link_type: type,
    link_created_at: link.created_at,
    link_updated_at: link.created_at,
  }));
  return json(200, rows);
}

function addLink(
  context: GitLabRouteContext,
  request: FakeRequest,
  project: GitLabProject,
  issue: GitLabIssue,
): FakeResponse {
  const { state } = context;
  const body = request.body as Record<string, unknown>;
  const targetProject = state.findProject(String(body.target_project_id));
  if (!targetProject) return notFound('Project');
  const target = state.getIssue(targetProject.id, Number(body.target_issue_iid));
  if (!target) return notFound('Issue');
  const linkType = (body.link_type as GitLabIssueLinkType | undefined) ?? 'relates_to';
  const duplicate = state.links.some(
    (link) =>
      (link.source_project_id === project.id &&
        link.source_iid === issue.iid &&
        link.target_project_id === targetProject.id &&
        link.target_iid === target.iid) ||
      (link.target_project_id === project.id &&
        link.target_iid === issue.iid &&
        link.source_project_id === targetProject.id &&
        link.source_iid === target.iid),
  );
  if (duplicate) return json(409, { message: 'Issue(s) already assigned' });
  const stamp = state.tick();
  // GitLab records a link as a system note on both issues, which touches both.
  issue.updated_at = stamp;
  target.updated_at = stamp;
  const link = {
    issue_link_id: state.nextId(),
    source_project_id: project.id,
    source_iid: issue.iid,
    target_project_id: targetProject.id,
    target_iid: target.iid,
    link_type: linkType,
    created_at: stamp,
  };
  state.links.push(link);
  return json(201, {
    source_issue: issueJson(state, issue),
    target_issue: issueJson(state, target),
    link_type: linkType,
  });
}
