export { GITLAB_API_PREFIX, GitLabFake, type GitLabFakeOptions } from './gitlab-fake';
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
