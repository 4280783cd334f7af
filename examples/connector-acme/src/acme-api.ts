import * as v from 'valibot';

/** The states and kinds the Acme API knows. */
export const ACME_STATES = ['open', 'doing', 'review', 'blocked', 'closed', 'dropped'] as const;
export const ACME_KINDS = ['epic', 'story', 'task', 'bug', 'chore', 'subtask'] as const;

/** One issue as the Acme API returns it (only the fields this connector reads). */
export const acmeIssueSchema = v.object({
  number: v.number(),
  title: v.string(),
  description: v.nullable(v.string()),
  state: v.picklist(ACME_STATES),
  kind: v.picklist(ACME_KINDS),
  priority: v.nullable(v.number()),
  labels: v.array(v.string()),
  assignees: v.array(v.string()),
  client_key: v.nullish(v.string()),
  created_at: v.string(),
  updated_at: v.string(),
  web_url: v.string(),
});

/** `GET /issues`: one page and the token of the next one. */
export const acmeIssuePageSchema = v.object({
  issues: v.array(acmeIssueSchema),
  next_page_token: v.nullable(v.string()),
});

/** An Acme issue. */
export type AcmeIssue = v.InferOutput<typeof acmeIssueSchema>;
/** The writable fields of an Acme issue. */
export type AcmeIssueFields = Partial<
  Pick<AcmeIssue, 'title' | 'description' | 'state' | 'kind' | 'priority' | 'labels' | 'assignees'>
>;
