// Importing this module registers the "gitlab" connector (listed in package.json "sideEffects").
// Curated surface: mapping helpers, schemas and constants stay internal (tests import their files).
import { registerConnector } from '@spec-kitty/core';
import type { GitLabConnectorConfigInput } from './gitlab-config';
import { gitlabConnectorDefinition } from './gitlab-definition';

registerConnector(gitlabConnectorDefinition);

export type {
  GitLabConnectorConfig,
  GitLabConnectorConfigInput,
  GitLabStatusLabels,
} from './gitlab-config';
export { GitLabConnector, type GitLabConnectorOptions } from './gitlab-connector';
export {
  type GitLabHostedParams,
  type GitLabHostedParamsInput,
  gitLabConnectorDefinition,
  gitlabConnectorDefinition,
} from './gitlab-definition';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  /** `createConnector('gitlab', config)` takes a `GitLabConnectorConfigInput`. */
  interface ConnectorTypes {
    gitlab: GitLabConnectorConfigInput;
  }
}
