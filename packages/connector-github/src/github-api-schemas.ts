// Minimal valibot schemas of the GitHub REST payloads the connector reads. Only what the mapping
// needs is checked; everything is `nullish` unless the connector cannot work without it, and
// unknown keys are kept (looseObject) so `raw` is the full payload.
import * as v from 'valibot';

export const githubUserSchema = v.looseObject({ login: v.string(), id: v.nullish(v.number()) });

export const githubLabelSchema = v.union([v.string(), v.looseObject({ name: v.nullish(v.string()) })]);

export const githubIssueSchema = v.looseObject({
  id: v.number(),
  number: v.number(),
  title: v.nullish(v.string()),
  body: v.nullish(v.string()),
  state: v.nullish(v.string()),
  state_reason: v.nullish(v.string()),
  html_url: v.nullish(v.string()),
  labels: v.nullish(v.array(githubLabelSchema)),
  assignees: v.nullish(v.array(v.nullish(githubUserSchema))),
  assignee: v.nullish(githubUserSchema),
  created_at: v.nullish(v.string()),
  updated_at: v.nullish(v.string()),
  pull_request: v.nullish(v.unknown()),
  parent_issue_url: v.nullish(v.string()),
  // API URL of the issue (`…/repos/{owner}/{repo}/issues/{n}`): the repository of a link target.
  url: v.nullish(v.string()),
  sub_issues_summary: v.nullish(v.looseObject({ total: v.nullish(v.number()) })),
  issue_dependencies_summary: v.nullish(
    v.looseObject({ total_blocked_by: v.nullish(v.number()), total_blocking: v.nullish(v.number()) }),
  ),
});

export type GitHubIssuePayload = v.InferOutput<typeof githubIssueSchema>;

/** List endpoints: entries are validated one by one (non-objects are dropped like the original). */
export const githubListSchema = v.array(v.unknown());

export const githubIssueEventSchema = v.looseObject({
  id: v.number(),
  event: v.nullish(v.string()),
  created_at: v.nullish(v.string()),
  issue: v.nullish(v.looseObject({ number: v.nullish(v.number()), html_url: v.nullish(v.string()) })),
});

export const githubOrgSchema = v.looseObject({
  id: v.number(),
  login: v.string(),
  description: v.nullish(v.string()),
});

export const githubAuthenticatedUserSchema = v.looseObject({
  id: v.number(),
  login: v.string(),
  name: v.nullish(v.string()),
});

export const githubRepoSchema = v.looseObject({
  id: v.number(),
  name: v.string(),
  full_name: v.string(),
  owner: v.looseObject({ login: v.string() }),
  private: v.nullish(v.boolean()),
  visibility: v.nullish(v.string()),
  html_url: v.nullish(v.string()),
  default_branch: v.nullish(v.string()),
});

export type GitHubRepoPayload = v.InferOutput<typeof githubRepoSchema>;
