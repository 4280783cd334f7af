// The part of GitLab's GraphQL schema (`/api/graphql`) the fake serves: work items with their
// hierarchy and linked-items widgets. No GitLab GraphQL schema is published on npm or kept in
// shared/specs, so this SDL is transcribed by hand from GitLab's type definitions
// (gitlabhq `app/graphql/types/work_item_type.rb`, `work_items/linked_item_type.rb`,
// `work_items/widgets/{hierarchy,linked_items}_type.rb`, `resolvers/work_items_resolver.rb`):
// names, argument names and types, nullability. Documents are validated against it with
// graphql-js, so a misspelt field, a wrong argument or a widget fragment on the wrong type is
// rejected as GitLab would reject it. Fields GitLab has and the fake leaves out simply fail
// validation here (a connector must not depend on them without extending this subset).
import { buildSchema, type GraphQLSchema } from 'graphql';

const WIDGET_TYPES = [
  'ASSIGNEES',
  'AWARD_EMOJI',
  'COLOR',
  'CRM_CONTACTS',
  'CURRENT_USER_TODOS',
  'CUSTOM_FIELDS',
  'DESCRIPTION',
  'DESIGNS',
  'DEVELOPMENT',
  'EMAIL_PARTICIPANTS',
  'ERROR_TRACKING',
  'HEALTH_STATUS',
  'HIERARCHY',
  'ITERATION',
  'LABELS',
  'LINKED_ITEMS',
  'LINKED_RESOURCES',
  'MILESTONE',
  'NOTES',
  'NOTIFICATIONS',
  'PARTICIPANTS',
  'PROGRESS',
  'REQUIREMENT_LEGACY',
  'START_AND_DUE_DATE',
  'STATUS',
  'TEST_REPORTS',
  'TIME_TRACKING',
  'VERIFICATION_STATUS',
  'VULNERABILITIES',
  'WEIGHT',
];

/** The SDL; `workItems: false` leaves `Project.workItems` out (GitLab before work items). */
export function gitLabGraphQLSdl(options: { workItems?: boolean } = {}): string {
  const workItems =
    options.workItems === false
      ? ''
      : `
  workItems(iid: String, iids: [String!], state: IssuableState, sort: WorkItemSort = CREATED_DESC,
    after: String, before: String, first: Int, last: Int): WorkItemConnection`;
  return `
scalar Time

type Query {
  project(fullPath: ID!): Project
  namespace(fullPath: ID!): Namespace
}

type Project {
  id: ID!
  fullPath: ID!
  name: String!
  webUrl: String${workItems}
}

type Namespace {
  id: ID!
  fullPath: ID!
  name: String!
}

enum IssuableState { opened closed locked all }
enum WorkItemSort { CREATED_ASC CREATED_DESC UPDATED_ASC UPDATED_DESC }
enum WorkItemState { OPEN CLOSED }
enum WorkItemWidgetType { ${WIDGET_TYPES.join(' ')} }
enum WorkItemRelatedLinkType { RELATED BLOCKS BLOCKED_BY }

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type WorkItemConnection {
  count: Int!
  edges: [WorkItemEdge]
  nodes: [WorkItem]
  pageInfo: PageInfo!
}

type WorkItemEdge {
  cursor: String!
  node: WorkItem
}

type WorkItem {
  id: ID!
  iid: String!
  title: String!
  state: WorkItemState!
  confidential: Boolean!
  createdAt: Time!
  updatedAt: Time!
  closedAt: Time
  project: Project
  namespace: Namespace
  reference(full: Boolean = false): String!
  widgets(onlyTypes: [WorkItemWidgetType!], exceptTypes: [WorkItemWidgetType!]): [WorkItemWidget!]
}

interface WorkItemWidget {
  type: WorkItemWidgetType
}

type WorkItemWidgetHierarchy implements WorkItemWidget {
  type: WorkItemWidgetType
  parent: WorkItem
  hasParent: Boolean!
  hasChildren: Boolean!
  children(after: String, before: String, first: Int, last: Int): WorkItemConnection
}

type WorkItemWidgetLinkedItems implements WorkItemWidget {
  type: WorkItemWidgetType
  linkedItems(filter: WorkItemRelatedLinkType, after: String, before: String, first: Int, last: Int): LinkedWorkItemTypeConnection
}

type WorkItemWidgetLabels implements WorkItemWidget {
  type: WorkItemWidgetType
}

type LinkedWorkItemTypeConnection {
  edges: [LinkedWorkItemTypeEdge]
  nodes: [LinkedWorkItemType]
  pageInfo: PageInfo!
}

type LinkedWorkItemTypeEdge {
  cursor: String!
  node: LinkedWorkItemType
}

type LinkedWorkItemType {
  linkCreatedAt: Time!
  linkId: ID!
  linkType: String!
  linkUpdatedAt: Time!
  workItem: WorkItem
}
`;
}

/** The schema built from {@link gitLabGraphQLSdl}. */
export function gitLabGraphQLSchema(options: { workItems?: boolean } = {}): GraphQLSchema {
  return buildSchema(gitLabGraphQLSdl(options));
}
