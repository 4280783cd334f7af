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

/**
 * Relations read per issue when one issue is read (get, create, update, the batched follow-up):
 * an issue with more relations in one direction keeps the first this many (a documented cap).
 */
export const MAX_RELATIONS = 50;

/** Complexity budget the listing's inline relations are sized to (Linear's cap is 10 000). */
const LIST_COMPLEXITY_BUDGET = 9000;
/** Per-issue points of `IssueFields` without relations, by the fake's pessimistic estimate (about 28.5). */
const ISSUE_BASE_POINTS = 30;
/** Points one inline relation costs in both connections (2 × 3.5). */
const POINTS_PER_RELATION = 7;

/**
 * Relations fetched inline per issue and direction by a listing page of `first` issues: as many
 * as fit the complexity budget (1 for a page of 250, 8 for 100, 21 for 50), at most
 * `MAX_RELATIONS`. Issues with more get them in one batched follow-up query per page
 * (`IssueRelationsBatch`), never one query per issue.
 */
export function inlineRelations(first: number): number {
  const spare = LIST_COMPLEXITY_BUDGET / Math.max(1, first) - ISSUE_BASE_POINTS;
  return Math.min(MAX_RELATIONS, Math.max(1, Math.floor(spare / POINTS_PER_RELATION)));
}

/** Issues per `IssueRelationsBatch` query: each costs about 354 points with `MAX_RELATIONS`. */
export const RELATIONS_BATCH_SIZE = 25;

const RELATION_CONNECTIONS = (first: string) =>
  `relations(first: ${first}) { nodes { type relatedIssue { id identifier url } } pageInfo { hasNextPage } }
  inverseRelations(first: ${first}) { nodes { type issue { id identifier url } } pageInfo { hasNextPage } }`;

/** The original's selection set, plus the label page info and relations (kept in sync with `LinearIssueNode`). */
export const ISSUE_FIELDS = `fragment IssueFields on Issue {
  id identifier title description priority createdAt updatedAt url archivedAt trashed
  state { id name type }
  labels(first: ${INLINE_LABELS}) { nodes { name } pageInfo { hasNextPage endCursor } }
  assignee { id }
  parent { id identifier url }
  ${RELATION_CONNECTIONS(String(MAX_RELATIONS))}
}`;

/** The listing's fragment: inline relations sized by `$relations` (see `inlineRelations`). */
const LIST_ISSUE_FIELDS = `fragment ListIssueFields on Issue {
  id identifier title description priority createdAt updatedAt url archivedAt trashed
  state { id name type }
  labels(first: ${INLINE_LABELS}) { nodes { name } pageInfo { hasNextPage endCursor } }
  assignee { id }
  parent { id identifier url }
  ${RELATION_CONNECTIONS('$relations')}
}`;

export const LIST_ISSUES = `query ListIssues($first: Int!, $after: String, $filter: IssueFilter, $relations: Int!, $includeArchived: Boolean) {
  issues(first: $first, after: $after, filter: $filter, orderBy: updatedAt, includeArchived: $includeArchived) {
    nodes { ...ListIssueFields }
    pageInfo { hasNextPage endCursor }
  }
}
${LIST_ISSUE_FIELDS}`;

/** The relations of up to `RELATIONS_BATCH_SIZE` issues whose inline relations were cut short. */
export const ISSUE_RELATIONS_BATCH = `query IssueRelationsBatch($first: Int!, $filter: IssueFilter) {
  issues(first: $first, filter: $filter, includeArchived: true) {
    nodes { id ${RELATION_CONNECTIONS(String(MAX_RELATIONS))} }
  }
}`;

/**
 * Whether known issues still live in the team: one query per `CHECK_GONE_BATCH` ids, archived and
 * trashed ones included. An id missing from the answer was deleted for good.
 */
export const CHECK_GONE = `query CheckGone($first: Int!, $filter: IssueFilter) {
  issues(first: $first, filter: $filter, includeArchived: true) {
    nodes { id identifier url archivedAt trashed team { id } }
  }
}`;

/** Ids per `CheckGone` query (Linear's page cap; each node costs a few points). */
export const CHECK_GONE_BATCH = LINEAR_MAX_PAGE_SIZE;

/**
 * Issues by id, as `GetIssue` reads them (archived ones and other teams' included, `team { id }`
 * selected), with relations inline as the listing sizes them (`inlineRelations`): an issue with
 * more gets them from the batched `IssueRelationsBatch` follow-up, so each answer equals `GetIssue`'s.
 */
export const GET_ISSUES = `query GetIssues($first: Int!, $filter: IssueFilter, $relations: Int!) {
  issues(first: $first, filter: $filter, includeArchived: true) {
    nodes { ...ListIssueFields team { id } }
  }
}
${LIST_ISSUE_FIELDS}`;

/** Ids per `GetIssues` query: the listing's page size (same selection, same complexity). */
export const GET_ISSUES_BATCH = LINEAR_MAX_PAGE_SIZE;

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
  GET_ISSUES,
  ISSUE_LABELS_PAGE,
  FIND_CREATED_ISSUE,
  TEAM_STATES,
  TEAM_LABELS,
  CREATE_LABEL,
  CREATE_ISSUE,
  UPDATE_ISSUE,
  ISSUE_RELATIONS,
  ISSUE_RELATIONS_BATCH,
  CHECK_GONE,
  CREATE_ISSUE_RELATION,
  CREATE_COMMENT,
  ORGANIZATION,
  TEAMS,
};
