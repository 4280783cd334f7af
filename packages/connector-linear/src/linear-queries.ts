// Every GraphQL document the connector sends. All are validated against Linear's published
// schema in tests (the fake answers an invalid document with HTTP 400 GRAPHQL_VALIDATION_FAILED).

/** Linear's documented maximum for `first`. */
export const LINEAR_MAX_PAGE_SIZE = 250;

/**
 * Labels fetched inline per issue. Kept small so a 250-issue page stays below Linear's
 * 10 000-point per-query complexity cap (connections multiply by `first`: with 10 inline labels a
 * full page is about 7 700 points by the fake's pessimistic estimate, with 20 it would be over);
 * an issue with more labels gets the rest in a follow-up query (`IssueLabelsPage`).
 */
export const INLINE_LABELS = 10;

/** The original's selection set, plus the label page info (fragment kept in sync with `LinearIssueNode`). */
export const ISSUE_FIELDS = `fragment IssueFields on Issue {
  id identifier title description priority createdAt updatedAt url
  state { id name type }
  labels(first: ${INLINE_LABELS}) { nodes { name } pageInfo { hasNextPage endCursor } }
  assignee { id }
  parent { id identifier url }
}`;

export const LIST_ISSUES = `query ListIssues($first: Int!, $after: String, $filter: IssueFilter) {
  issues(first: $first, after: $after, filter: $filter, orderBy: updatedAt) {
    nodes { ...IssueFields }
    pageInfo { hasNextPage endCursor }
  }
}
${ISSUE_FIELDS}`;

export const GET_ISSUE = `query GetIssue($id: String!) {
  issue(id: $id) { ...IssueFields team { id } }
}
${ISSUE_FIELDS}`;

export const ISSUE_LABELS_PAGE = `query IssueLabelsPage($id: String!, $after: String) {
  issue(id: $id) {
    labels(first: ${LINEAR_MAX_PAGE_SIZE}, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } }
  }
}`;

/** Looks for an issue this library created: by its deterministic id or by the marker in its description. */
export const FIND_CREATED_ISSUE = `query FindCreatedIssue($filter: IssueFilter) {
  issues(first: 2, filter: $filter, includeArchived: true) { nodes { ...IssueFields } }
}
${ISSUE_FIELDS}`;

export const TEAM_STATES = `query TeamWorkflowStates($teamId: String!) {
  team(id: $teamId) {
    id key
    states(first: ${LINEAR_MAX_PAGE_SIZE}) { nodes { id name type position } }
  }
}`;

export const TEAM_LABELS = `query TeamLabels($first: Int!, $after: String, $filter: IssueLabelFilter) {
  issueLabels(first: $first, after: $after, filter: $filter) {
    nodes { id name team { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const CREATE_LABEL = `mutation CreateIssueLabel($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) { success issueLabel { id name } }
}`;

export const CREATE_ISSUE = `mutation CreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ...IssueFields } }
}
${ISSUE_FIELDS}`;

export const UPDATE_ISSUE = `mutation UpdateIssue($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ...IssueFields } }
}
${ISSUE_FIELDS}`;

export const ISSUE_RELATIONS = `query IssueRelations($id: String!) {
  issue(id: $id) {
    id identifier
    parent { id identifier }
    relations(first: ${LINEAR_MAX_PAGE_SIZE}) { nodes { type relatedIssue { id identifier } } pageInfo { hasNextPage } }
    inverseRelations(first: ${LINEAR_MAX_PAGE_SIZE}) { nodes { type issue { id identifier } } pageInfo { hasNextPage } }
  }
}`;

export const CREATE_ISSUE_RELATION = `mutation CreateIssueRelation($input: IssueRelationCreateInput!) {
  issueRelationCreate(input: $input) { success }
}`;

export const CREATE_COMMENT = `mutation CreateComment($input: CommentCreateInput!) {
  commentCreate(input: $input) { success }
}`;

/** Discovery (the original's documents, with an operation name and, for teams, pagination). */
export const ORGANIZATION = `query Organization { organization { id name urlKey } }`;

export const TEAMS = `query Teams($first: Int!, $after: String) {
  teams(first: $first, after: $after) { nodes { id key name } pageInfo { hasNextPage endCursor } }
}`;

/** Every document, for schema-validation tests. */
export const ALL_DOCUMENTS: Readonly<Record<string, string>> = {
  LIST_ISSUES,
  GET_ISSUE,
  ISSUE_LABELS_PAGE,
  FIND_CREATED_ISSUE,
  TEAM_STATES,
  TEAM_LABELS,
  CREATE_LABEL,
  CREATE_ISSUE,
  UPDATE_ISSUE,
  ISSUE_RELATIONS,
  CREATE_ISSUE_RELATION,
  CREATE_COMMENT,
  ORGANIZATION,
  TEAMS,
};
