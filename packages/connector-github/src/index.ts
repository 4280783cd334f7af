// Importing this module registers the "github" connector (listed in package.json "sideEffects").
// Curated surface: mapping helpers, schemas and constants stay internal (tests import their files).
import { registerConnector } from '@spec-kitty/core';
import type { GitHubConnectorConfigInput } from './github-config';
import { githubConnectorDefinition } from './github-definition';

registerConnector(githubConnectorDefinition);

export type { GitHubConnectorConfig, GitHubConnectorConfigInput } from './github-config';
export { GitHubConnector, type GitHubConnectorOptions } from './github-connector';
export { githubConnectorDefinition } from './github-definition';
export type { GitHubHostedParams, GitHubHostedParamsInput } from './github-hosted';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** `createConnector('github', config)` takes a `GitHubConnectorConfigInput`. */
  interface ConnectorTypes {
    github: GitHubConnectorConfigInput;
  }
}
