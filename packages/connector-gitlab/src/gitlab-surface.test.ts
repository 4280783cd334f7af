import { ConnectorConfigError } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { GitLabConnector } from './gitlab-connector';

describe('GitLab public surface', () => {
  it('exports the definition (and its deprecated alias), the class and VERSION only (types aside)', async () => {
    const surface = await import('./index');
    expect(Object.keys(surface).sort()).toEqual([
      'GitLabConnector',
      'VERSION',
      'gitLabConnectorDefinition',
      'gitlabConnectorDefinition',
    ]);
    expect(surface.gitLabConnectorDefinition).toBe(surface.gitlabConnectorDefinition);
  });

  it('validates constructor input with the config schema, not by hand', () => {
    const base = { projectId: '7', token: 't' };
    expect(() => new GitLabConnector({ ...base, overlapSeconds: -1 })).toThrow(ConnectorConfigError);
    expect(() => new GitLabConnector({ ...base, maxPages: 0 })).toThrow(/maxPages must be >= 1/);
    expect(() => new GitLabConnector({ ...base, statusLabels: { doing: 'x' } as never })).toThrow(
      /statusLabels keys must be canonical statuses/,
    );
    expect(() => new GitLabConnector({ ...base, baseUrl: 'not a url' })).toThrow(/baseUrl/);
    // A numeric project id is accepted as the schema declares.
    expect(new GitLabConnector({ projectId: 42, token: 't' }).projectId).toBe('42');
  });
});
