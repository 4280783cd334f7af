// Importing this module registers the "gitlab" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import { type GitLabConnectorConfigInput, gitLabConnectorDefinition } from './gitlab-definition';

registerConnector(gitLabConnectorDefinition);

export {
  GITLAB_DEFAULT_BASE_URL,
  GitLabConnector,
  type GitLabConnectorConfig,
  type GitLabConnectorRuntime,
} from './gitlab-connector';
export {
  type GitLabConnectorConfigInput,
  type GitLabHostedParams,
  type GitLabHostedParamsInput,
  gitLabConfigSchema,
  gitLabConnectorDefinition,
  gitLabHostedParamsSchema,
  gitLabParamsFromConnectorParams,
} from './gitlab-definition';
export { discoverGitLabResources, discoverGitLabWorkspaces } from './gitlab-discovery';
export {
  gitLabIssueToCanonical,
  gitLabStateToStatus,
  linkTypeToGitLab,
  projectGitLabIssue,
  statusToGitLabState,
} from './gitlab-mapping';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    gitlab: GitLabConnectorConfigInput;
  }
}
