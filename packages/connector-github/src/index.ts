// Importing this module registers the "github" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { GitHubConnectorConfigInput } from './github-config';
import { githubConnectorDefinition } from './github-definition';

registerConnector(githubConnectorDefinition);

/** The create marker is core's one format (`@spec-kitty/core/http`); re-exported for existing imports. */
export { idempotencyMarker } from '@spec-kitty/core/http';
export {
  DEFAULT_GITHUB_BASE_URL,
  DEFAULT_OVERLAP_SECONDS,
  GITHUB_REQUIRED_MESSAGE,
  type GitHubConnectorConfig,
  type GitHubConnectorConfigInput,
  githubConfigSchema,
} from './github-config';
export { GITHUB_API_VERSION, GitHubConnector, type GitHubConnectorRuntime } from './github-connector';
export { githubConnectorDefinition } from './github-definition';
export {
  discoverGitHubResources,
  discoverGitHubWorkspaces,
  GITHUB_DISCOVERY_MAX_PAGES,
} from './github-discovery';
export {
  type GitHubHostedParams,
  type GitHubHostedParamsInput,
  githubHosted,
  githubHostedParamsSchema,
} from './github-hosted';
export {
  githubIssueToCanonical,
  githubStateToStatus,
  projectGitHubIssue,
  statusToGitHubState,
} from './github-mapping';
export { parseNextLink } from './github-pagination';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    github: GitHubConnectorConfigInput;
  }
}
