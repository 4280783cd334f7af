import * as v from 'valibot';

/**
 * Valibot schemas of the GitLab REST v4 payloads the connector reads. Objects are loose (GitLab
 * adds fields over time); only the fields the mapping relies on are checked, so a malformed
 * payload fails with `IssuePayloadContractError` naming the field (`[3].iid`).
 */

export const gitLabUserSchema = v.looseObject({
  id: v.number(),
  username: v.string(),
  name: v.optional(v.nullable(v.string())),
});
export type GitLabUserPayload = v.InferOutput<typeof gitLabUserSchema>;

export const gitLabIssueSchema = v.looseObject({
  id: v.number(),
  iid: v.number(),
  project_id: v.optional(v.number()),
  title: v.nullish(v.string()),
  description: v.nullish(v.string()),
  state: v.string(),
  labels: v.optional(v.array(v.string()), []),
  assignees: v.optional(v.nullable(v.array(gitLabUserSchema)), []),
  web_url: v.nullish(v.string()),
  // Global id of the issue this one was moved to; the original stays, closed.
  moved_to_id: v.nullish(v.number()),
  // `full` (`group/project#iid`) names the project's full path, which GraphQL addresses it by.
  references: v.nullish(v.looseObject({ full: v.nullish(v.string()) })),
  created_at: v.nullish(v.string()),
  updated_at: v.nullish(v.string()),
});
export type GitLabIssuePayload = v.InferOutput<typeof gitLabIssueSchema>;

export const gitLabIssueListSchema = v.array(gitLabIssueSchema);
export const gitLabUserListSchema = v.array(gitLabUserSchema);

export const gitLabIssueLinkSchema = v.looseObject({
  iid: v.number(),
  project_id: v.number(),
  link_type: v.string(),
  web_url: v.nullish(v.string()),
});
export const gitLabIssueLinkListSchema = v.array(gitLabIssueLinkSchema);

export const gitLabGroupSchema = v.looseObject({
  id: v.number(),
  full_path: v.string(),
  full_name: v.nullish(v.string()),
  web_url: v.nullish(v.string()),
});
export type GitLabGroupPayload = v.InferOutput<typeof gitLabGroupSchema>;
export const gitLabGroupListSchema = v.array(gitLabGroupSchema);

export const gitLabProjectSchema = v.looseObject({
  id: v.number(),
  name_with_namespace: v.nullish(v.string()),
  path_with_namespace: v.nullish(v.string()),
  web_url: v.nullish(v.string()),
  namespace: v.nullish(v.looseObject({ id: v.nullish(v.number()), full_path: v.nullish(v.string()) })),
});
export type GitLabProjectPayload = v.InferOutput<typeof gitLabProjectSchema>;
export const gitLabProjectListSchema = v.array(gitLabProjectSchema);
