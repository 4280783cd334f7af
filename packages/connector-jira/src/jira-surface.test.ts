import { ConnectorConfigError } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { JiraConnector } from './jira-connector';

describe('Jira public surface', () => {
  it('exports the definition, the class and VERSION only (types aside)', async () => {
    const surface = await import('./index');
    expect(Object.keys(surface).sort()).toEqual(['JiraConnector', 'VERSION', 'jiraConnectorDefinition']);
  });

  it('validates constructor input with the config schema and fills its defaults', () => {
    const base = { baseUrl: 'https://x.atlassian.net/', email: 'e', apiToken: 't', projectKey: ' P ' };
    expect(() => new JiraConnector({ ...base, timeoutMs: 0 })).toThrow(ConnectorConfigError);
    expect(() => new JiraConnector({ ...base, defaultIssueType: ' ' })).toThrow(/defaultIssueType/);
    const jira = new JiraConnector(base);
    expect(jira.config.defaultIssueType).toBe('Task');
    expect(jira.config.statusNameMap).toEqual({});
    expect(jira.config.projectKey).toBe('P');
    expect(jira.workspace).toBe('https://x.atlassian.net');
  });
});
