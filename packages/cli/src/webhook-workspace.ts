import type { TrackerConfig } from './cli-config';

/**
 * `ExternalRef.workspace` as the bound connector writes it, so that the refs of parsed webhook
 * events name the issues already in the store (each connector documents its ref workspace; some
 * differ from the CLI workspace, e.g. Linear's is "linear" unless configured, Jira's the site URL).
 * Undefined for providers not listed: `parse` then takes what the payload names.
 */
export function webhookWorkspaceOf(
  config: Pick<TrackerConfig, 'provider' | 'workspace' | 'connector'>,
): string | undefined {
  const settings = config.connector;
  const text = (key: string) => {
    const value = settings[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  switch (config.provider) {
    case 'github':
      return text('owner') && text('repo') ? `${text('owner')}/${text('repo')}` : config.workspace;
    case 'gitlab':
      return text('projectId') ?? config.workspace;
    case 'linear':
      return text('workspace') ?? 'linear';
    case 'jira':
      return text('baseUrl')?.replace(/\/+$/, '');
    case 'azure_devops':
      return text('organization') && text('project')
        ? `${text('organization')}/${text('project')}`
        : config.workspace;
    default:
      return undefined;
  }
}
