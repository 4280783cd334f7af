export {
  GitHubFake,
  type GitHubFakeOptions,
  type GitHubFakeRepoInit,
  type SeedIssueInit,
  startGitHubFake,
} from './github-fake';
export { GitHubOpenApiValidator, githubOpenApiValidator } from './github-openapi';
export type { FakeCommentRecord, FakeIssueRecord, FakeRepoRecord } from './github-state';
export { githubTimestamp } from './github-state';
