import {
  ConnectorConfigError,
  createConnector,
  getConnectorDefinition,
  validateConnectorConfig,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import './index';
import { GITHUB_REQUIRED_MESSAGE, githubConfigSchema } from './github-config';
import { GitHubConnector } from './github-connector';
import { githubConnectorDefinition } from './github-definition';

describe('GitHub connector config and registration', () => {
  it('registers on import as a hosted connector with discovery', () => {
    const definition = getConnectorDefinition('github');
    expect(definition).toBe(githubConnectorDefinition);
    expect(definition).toMatchObject({
      id: 'github',
      displayName: 'GitHub',
      mode: 'hosted',
      packageName: '@spec-kitty/connector-github',
    });
    expect(definition.hosted).toBeDefined();
    expect(definition.discovery).toBeDefined();
  });

  it('creates a connector through the registry with the default base URL', () => {
    const connector = createConnector('github', { owner: 'octocat', repo: 'hello-world', token: 't' });
    expect(connector).toBeInstanceOf(GitHubConnector);
    expect((connector as GitHubConnector).config.baseUrl).toBe('https://api.github.com');
    expect((connector as GitHubConnector).workspace).toBe('octocat/hello-world');
  });

  it.each([
    { owner: '', repo: 'r', token: 't' },
    { owner: 'o', repo: '   ', token: 't' },
    { owner: 'o', repo: 'r', token: '' },
  ])('rejects blank owner, repo or token with the original message (%o)', (config) => {
    expect(() => new GitHubConnector(config)).toThrow(new ConnectorConfigError(GITHUB_REQUIRED_MESSAGE));
    expect(() => createConnector('github', config)).toThrow(ConnectorConfigError);
    expect(() => createConnector('github', config)).toThrow(GITHUB_REQUIRED_MESSAGE);
  });

  it('names bad optional fields and never echoes the token', () => {
    const error = (() => {
      try {
        validateConnectorConfig(githubConnectorDefinition, {
          owner: 'o',
          repo: 'r',
          token: 'ghp_secret',
          baseUrl: 'not a url',
        });
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(ConnectorConfigError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('baseUrl');
    expect(String(error)).not.toContain('ghp_secret');
    expect(() => createConnector('github', { owner: 'o', repo: 'r', token: 't', extra: 1 } as never)).toThrow(
      /extra/,
    );
  });

  it('trims a trailing slash from an Enterprise base URL and keeps the token out of the public config', () => {
    const connector = new GitHubConnector({
      owner: 'o',
      repo: 'r',
      token: 'ghp_secret',
      baseUrl: 'https://ghe.example.com/api/v3/',
    });
    expect(connector.config.baseUrl).toBe('https://ghe.example.com/api/v3');
    expect(JSON.stringify(connector.config)).not.toContain('ghp_secret');
    expect(githubConfigSchema.entries.overlapSeconds).toBeDefined();
  });
});
