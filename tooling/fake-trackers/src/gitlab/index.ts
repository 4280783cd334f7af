export { GitLabFake } from './gitlab-fake';
export { GITLAB_GRAPHQL_ENDPOINT, GITLAB_GRAPHQL_PATH } from './gitlab-graphql-routes';
export { gitLabGraphQLSchema, gitLabGraphQLSdl } from './gitlab-graphql-schema';
export { GITLAB_API_PREFIX, type GitLabFakeOptions } from './gitlab-route-context';
export {
  type GitLabEpic,
  type GitLabGroup,
  type GitLabIssue,
  type GitLabIssueLink,
  type GitLabNote,
  type GitLabParentRef,
  type GitLabProject,
  GitLabState,
  type GitLabStateOptions,
  type GitLabUser,
} from './gitlab-state';
export { validateGitLabRequest } from './gitlab-validation';
