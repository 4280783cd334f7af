import { CONNECTOR_PROTOCOL_VERSION, ConnectorConfigError, defineConnector } from '@spec-kitty/core';
import { type GitHubConnectorConfig, githubConfigSchema } from './github-config';
import { GITHUB_API_VERSION, GitHubConnector } from './github-connector';
import { discoverGitHubResources, discoverGitHubWorkspaces } from './github-discovery';
import { type GitHubHostedParams, githubHosted } from './github-hosted';
import { githubWebhooks } from './github-webhooks';
import { VERSION } from './version';

/** Registered on import of `@spec-kitty/connector-github`. */
export const githubConnectorDefinition = defineConnector<GitHubConnectorConfig, GitHubHostedParams>({
  id: 'github',
  displayName: 'GitHub',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@spec-kitty/connector-github',
  packageVersion: VERSION,
  mode: 'hosted',
  configSchema: githubConfigSchema,
  webhooks: githubWebhooks,
  create: (config, runtime) => new GitHubConnector(config, runtime),
  hosted: githubHosted,
  discovery: {
    // The headers direct mode sends; without them GitHub may answer with another media type.
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': GITHUB_API_VERSION },
    workspaces: discoverGitHubWorkspaces,
    resources: discoverGitHubResources,
  },
  cli: {
    workspaceHint: 'owner/repo',
    workspaceToConfig(workspace) {
      const match = /^([^/\s]+)\/([^/\s]+)$/.exec(workspace);
      if (!match)
        throw new ConnectorConfigError(
          `GitHub workspace must be owner/repo, got ${JSON.stringify(workspace)}.`,
        );
      return { owner: match[1]!, repo: match[2]! };
    },
    credentialEnv: { token: 'GITHUB_TOKEN' },
  },
});
