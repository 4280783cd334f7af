import { ConnectorConfigError } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { GitHubConnector } from './github-connector';

describe('GitHub public surface', () => {
  it('exports the definition, the class and VERSION only (types aside)', async () => {
    const surface = await import('./index');
    expect(Object.keys(surface).sort()).toEqual(['GitHubConnector', 'VERSION', 'githubConnectorDefinition']);
  });

  it('validates constructor input with the config schema', () => {
    const base = { owner: 'o', repo: 'r', token: 't' };
    expect(() => new GitHubConnector({ ...base, overlapSeconds: -1 })).toThrow(ConnectorConfigError);
    expect(() => new GitHubConnector({ ...base, overlapSeconds: -1 })).toThrow(/overlapSeconds must be >= 0/);
    expect(() => new GitHubConnector({ ...base, owner: '  octo  ' }).workspace).not.toThrow();
    expect(new GitHubConnector({ ...base, owner: '  octo  ' }).workspace).toBe('octo/r');
  });
});
