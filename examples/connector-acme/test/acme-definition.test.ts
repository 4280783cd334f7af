import {
  ConnectorConfigError,
  connectorParamsToHostedParams,
  getConnectorDefinition,
  isHostedProvider,
} from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { acmeConnectorDefinition } from '../src/index.js';

describe('acmeConnectorDefinition', () => {
  it('is what importing the package registers', () => {
    expect(getConnectorDefinition('acme')).toBe(acmeConnectorDefinition);
    expect(Object.isFrozen(acmeConnectorDefinition)).toBe(true);
  });

  it('binds `--workspace demo` to the project and reads the token from ACME_TOKEN', () => {
    const cli = acmeConnectorDefinition.cli;
    expect(cli?.workspaceToConfig('demo')).toEqual({ project: 'demo' });
    expect(cli?.credentialEnv).toEqual({ token: 'ACME_TOKEN' });
    expect(() => cli?.workspaceToConfig('Not A Slug')).toThrow(ConnectorConfigError);
    expect(() => cli?.workspaceToConfig('Not A Slug')).toThrow(/an Acme project slug, e\.g\. demo/);
  });

  it('is a hosted provider whose discovered connector params need a project', () => {
    expect(isHostedProvider('acme')).toBe(true);
    expect(connectorParamsToHostedParams('acme', { project: 'demo' })).toEqual({ project: 'demo' });
    expect(() => connectorParamsToHostedParams('acme', {})).toThrow(/project/);
    expect(acmeConnectorDefinition.hosted?.toConfig({ project: 'demo' })).toMatchObject({ project: 'demo' });
  });
});
