import { KNOWN_CONNECTOR_PACKAGES, validateConnectorConfig } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { loadConnectorDefinition } from './connector-loader';
import { isSecretKey } from './credentials';

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

const firstParty = Object.keys(KNOWN_CONNECTOR_PACKAGES);

async function definitionOf(provider: string) {
  return loadConnectorDefinition(provider, undefined, [process.cwd()]);
}

describe('first-party CLI bindings (on each connector definition)', () => {
  it('every first-party connector declares one', async () => {
    for (const provider of firstParty) expect((await definitionOf(provider)).cli, provider).toBeDefined();
  });

  it('only read secrets into keys the config refuses to store', async () => {
    for (const provider of firstParty) {
      const binding = (await definitionOf(provider)).cli!;
      for (const key of Object.keys(binding.credentialEnv))
        expect(isSecretKey(key), `${provider}.${key}`).toBe(true);
      const fields = binding.workspaceToConfig(SAMPLE_WORKSPACE[provider]!);
      for (const key of Object.keys(fields)) expect(isSecretKey(key), `${provider}.${key}`).toBe(false);
    }
  });

  it('produce configs the connectors accept', async () => {
    const extra: Record<string, Record<string, unknown>> = {
      jira: { baseUrl: 'https://x.atlassian.net', email: 'a@b.c' },
    };
    for (const provider of firstParty) {
      const definition = await definitionOf(provider);
      const binding = definition.cli!;
      const config: Record<string, unknown> = {
        ...binding.workspaceToConfig(SAMPLE_WORKSPACE[provider]!),
        ...extra[provider],
      };
      for (const key of Object.keys(binding.credentialEnv)) config[key] = 'dummy-credential';
      expect(() => validateConnectorConfig(definition, config), provider).not.toThrow();
    }
  });

  it('reject malformed workspaces with the expected shape', async () => {
    await expect(definitionOf('github').then((d) => d.cli!.workspaceToConfig('octo'))).rejects.toThrow(
      /owner\/repo/,
    );
    await expect(definitionOf('azure_devops').then((d) => d.cli!.workspaceToConfig('org'))).rejects.toThrow(
      /organization\/project/,
    );
  });
});
