export { GitLabFake } from './gitlab-fake';
export { GITLAB_API_PREFIX, type GitLabFakeOptions } from './gitlab-route-context';
export {
  type GitLabGroup,
  type GitLabIssue,
  type GitLabIssueLink,
  type GitLabNote,
  type GitLabProject,
  GitLabState,
  type GitLabStateOptions,
  type GitLabUser,
} from './gitlab-state';
export { validateGitLabRequest } from './gitlab-validation';
