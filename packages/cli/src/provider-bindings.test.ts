import { getConnectorDefinition, KNOWN_CONNECTOR_PACKAGES, validateConnectorConfig } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { loadConnectorDefinition } from './connector-loader';
import { isSecretKey } from './credentials';
import { PROVIDER_BINDINGS } from './provider-bindings';

const SAMPLE_WORKSPACE: Record<string, string> = {
  memory: 'sandbox',
  github: 'octo/hello',
  gitlab: 'group/project',
  linear: 'TEAM',
  jira: 'PROJ',
  azure_devops: 'org/project',
  beads: 'sk',
  fp: 'fp',
};

describe('provider bindings', () => {
  it('cover every known provider', () => {
    expect(Object.keys(PROVIDER_BINDINGS).sort()).toEqual(Object.keys(KNOWN_CONNECTOR_PACKAGES).sort());
  });

  it('only read secrets into keys the config refuses to store', () => {
    for (const [provider, binding] of Object.entries(PROVIDER_BINDINGS)) {
      for (const key of Object.keys(binding.credentialEnv))
        expect(isSecretKey(key), `${provider}.${key}`).toBe(true);
      const fields = binding.workspaceToConfig(SAMPLE_WORKSPACE[provider]!);
      for (const key of Object.keys(fields)) expect(isSecretKey(key), `${provider}.${key}`).toBe(false);
    }
  });

  it('produce configs the installed connectors accept', async () => {
    const extra: Record<string, Record<string, unknown>> = {
      jira: { baseUrl: 'https://x.atlassian.net', email: 'a@b.c' },
    };
    let checked = 0;
    for (const [provider, binding] of Object.entries(PROVIDER_BINDINGS)) {
      const installed = await loadConnectorDefinition(provider).then(
        () => true,
        () => false,
      );
      if (!installed) continue;
      const config: Record<string, unknown> = {
        ...binding.workspaceToConfig(SAMPLE_WORKSPACE[provider]!),
        ...extra[provider],
      };
      for (const key of Object.keys(binding.credentialEnv)) config[key] = 'dummy-credential';
      expect(() => validateConnectorConfig(getConnectorDefinition(provider), config), provider).not.toThrow();
      checked++;
    }
    // Every first-party connector is a dependency of the CLI.
    expect(checked).toBe(Object.keys(PROVIDER_BINDINGS).length);
  });

  it('reject malformed workspaces with the expected shape', () => {
    expect(() => PROVIDER_BINDINGS.github!.workspaceToConfig('octo')).toThrow(/owner\/repo/);
    expect(() => PROVIDER_BINDINGS.azure_devops!.workspaceToConfig('org')).toThrow(/organization\/project/);
  });
});
