import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConnectorConfigError } from '../errors/errors';
import { parseConnectorConfig } from '../registry/parse-connector-config';
import type { TrackerConnector } from './connector';
import { CONNECTOR_PROTOCOL_VERSION, type ConnectorDefinition } from './connector-definition';
import { defineConnector } from './define-connector';

const configSchema = v.strictObject({
  token: v.pipe(v.string('token must be a string'), v.nonEmpty('token must not be empty')),
  project: v.pipe(v.string('project must be a string'), v.nonEmpty('project must not be empty')),
});
type AcmeConfig = v.InferOutput<typeof configSchema>;
const paramsSchema = v.strictObject({ project: v.string() });
type AcmeParams = v.InferOutput<typeof paramsSchema>;

function acme(overrides: Record<string, unknown> = {}): ConnectorDefinition<AcmeConfig, AcmeParams> {
  return {
    id: 'acme',
    displayName: 'Acme',
    protocolVersion: CONNECTOR_PROTOCOL_VERSION,
    packageName: '@acme/tracker-connector',
    packageVersion: '1.2.3',
    mode: 'hosted',
    configSchema,
    create: () => ({ name: 'acme' }) as unknown as TrackerConnector,
    hosted: {
      paramsSchema,
      toConfig: (params) => ({ token: 'managed', project: params.project }),
      paramsFromConnectorParams: (params) => ({ project: String(params.project_key) }),
      requiredConnectorParams: ['project_key'],
      nangoProviderKey: 'acme',
      discoveryBaseUrl: 'https://api.acme.test',
    },
    cli: {
      workspaceHint: 'the project key',
      workspaceToConfig: (workspace) => ({ project: workspace }),
      credentialEnv: { token: 'ACME_TOKEN' },
    },
    ...overrides,
  } as ConnectorDefinition<AcmeConfig, AcmeParams>;
}

describe('defineConnector', () => {
  it('returns the definition frozen, hosted and cli blocks included', () => {
    const definition = defineConnector(acme());
    expect(definition.id).toBe('acme');
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.isFrozen(definition.hosted)).toBe(true);
    expect(Object.isFrozen(definition.hosted?.requiredConnectorParams)).toBe(true);
    expect(Object.isFrozen(definition.cli?.credentialEnv)).toBe(true);
    expect(definition.cli?.workspaceToConfig('P1')).toEqual({ project: 'P1' });
  });

  it.each([
    [{ id: 'Acme Tracker' }, 'id must be a lower-case slug'],
    [{ protocolVersion: 99 }, 'protocolVersion must be 1'],
    [{ packageName: 'Not A Package' }, 'packageName must be the npm package name'],
    [{ packageVersion: 'latest' }, 'packageVersion must be a semver version'],
    [{ configSchema: undefined }, 'configSchema must be a Standard Schema'],
    [{ mode: 'cloud' }, 'mode must be "hosted", "local" or "direct"'],
    [{ create: undefined }, 'create must be a function'],
  ])('rejects %j with a message naming the field', (override, message) => {
    expect(() => defineConnector(acme(override))).toThrow(message);
    expect(() => defineConnector(acme(override))).toThrow(ConnectorConfigError);
  });

  it('rejects an incomplete hosted block', () => {
    const base = acme();
    const { nangoProviderKey: _drop, ...hostedWithoutKey } = base.hosted!;
    expect(() => defineConnector(acme({ hosted: hostedWithoutKey }))).toThrow(
      'Invalid connector definition "acme": hosted.nangoProviderKey must be the Nango provider config key',
    );
    expect(() => defineConnector(acme({ hosted: { ...base.hosted, discoveryBaseUrl: 'api.acme' } }))).toThrow(
      'hosted.discoveryBaseUrl must be an absolute URL',
    );
    expect(() =>
      defineConnector(acme({ hosted: { ...base.hosted, requiredConnectorParams: 'project_key' } })),
    ).toThrow('hosted.requiredConnectorParams must be an array');
  });

  it('rejects an incomplete cli block', () => {
    const base = acme();
    expect(() => defineConnector(acme({ cli: { ...base.cli, credentialEnv: { token: 7 } } }))).toThrow(
      'cli.credentialEnv must map secret config keys to environment variable names',
    );
    expect(() => defineConnector(acme({ cli: { ...base.cli, workspaceToConfig: 'project' } }))).toThrow(
      'cli.workspaceToConfig must be a function',
    );
  });

  it('accepts a definition without hosted or cli blocks', () => {
    const definition = defineConnector(acme({ hosted: undefined, cli: undefined, mode: 'direct' }));
    expect(definition.hosted).toBeUndefined();
    expect(definition.cli).toBeUndefined();
  });
});

describe('parseConnectorConfig', () => {
  it('returns the validated config', () => {
    expect(parseConnectorConfig('acme', configSchema, { token: 't', project: 'P' })).toEqual({
      token: 't',
      project: 'P',
    });
  });

  it('throws a ConnectorConfigError naming each bad field', () => {
    let caught: unknown;
    try {
      parseConnectorConfig('acme', configSchema, { token: '', project: 3, workspace: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(ConnectorConfigError.isInstance(caught)).toBe(true);
    const error = caught as ConnectorConfigError;
    expect(error.connectorId).toBe('acme');
    expect(error.issues.map((issue) => issue.path)).toEqual(['token', 'project', 'workspace']);
    expect(error.message).toContain('Invalid config for connector "acme": token: token must not be empty');
    expect(error.message).toContain('project: project must be a string');
  });
});
