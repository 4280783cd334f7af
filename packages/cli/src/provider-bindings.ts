import type { JsonValue } from '@spec-kitty/core';
import { UsageError } from './exit-codes';

/** How `bind --workspace` and credentials map onto one provider's connector config. */
export interface ProviderBinding {
  /** Connector config fields derived from the workspace string. */
  workspaceToConfig(workspace: string): Record<string, JsonValue>;
  /** Secret config key → default environment variable. */
  credentialEnv: Readonly<Record<string, string>>;
  /** Shown by `bind` when the workspace is missing or malformed. */
  workspaceHint: string;
}

const plainWorkspace =
  (field: string): ProviderBinding['workspaceToConfig'] =>
  (workspace) => ({ [field]: workspace });

export const PROVIDER_BINDINGS: Readonly<Record<string, ProviderBinding>> = Object.freeze({
  memory: { workspaceToConfig: plainWorkspace('workspace'), credentialEnv: {}, workspaceHint: 'any name' },
  github: {
    workspaceToConfig(workspace) {
      const match = /^([^/\s]+)\/([^/\s]+)$/.exec(workspace);
      if (!match)
        throw new UsageError(`GitHub workspace must be owner/repo, got ${JSON.stringify(workspace)}.`);
      return { owner: match[1]!, repo: match[2]! };
    },
    credentialEnv: { token: 'GITHUB_TOKEN' },
    workspaceHint: 'owner/repo',
  },
  gitlab: {
    workspaceToConfig: plainWorkspace('projectId'),
    credentialEnv: { token: 'GITLAB_TOKEN' },
    workspaceHint: 'project id or group/project path',
  },
  linear: {
    workspaceToConfig: plainWorkspace('teamId'),
    credentialEnv: { apiKey: 'LINEAR_API_KEY' },
    workspaceHint: 'the Linear team id',
  },
  jira: {
    workspaceToConfig: plainWorkspace('projectKey'),
    credentialEnv: { apiToken: 'JIRA_API_TOKEN' },
    workspaceHint: 'the project key, e.g. PROJ (also --set baseUrl=… --set email=…)',
  },
  azure_devops: {
    workspaceToConfig(workspace) {
      const match = /^([^/\s]+)\/([^/]+)$/.exec(workspace);
      if (!match) {
        throw new UsageError(
          `Azure DevOps workspace must be organization/project, got ${JSON.stringify(workspace)}.`,
        );
      }
      return { organization: match[1]!, project: match[2]! };
    },
    credentialEnv: { personalAccessToken: 'AZURE_DEVOPS_TOKEN' },
    workspaceHint: 'organization/project',
  },
  beads: { workspaceToConfig: plainWorkspace('workspace'), credentialEnv: {}, workspaceHint: 'any name' },
  fp: { workspaceToConfig: plainWorkspace('workspace'), credentialEnv: {}, workspaceHint: 'any name' },
});

export function bindingFor(provider: string): ProviderBinding {
  return (
    PROVIDER_BINDINGS[provider] ?? {
      workspaceToConfig: plainWorkspace('workspace'),
      credentialEnv: {},
      workspaceHint: 'see the connector README',
    }
  );
}
