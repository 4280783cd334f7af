import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorConfigError } from '../errors/errors';
import { type LoopbackServer, sendJson, startLoopback } from '../http/testing/loopback-server';
import { createConnectorRegistry } from '../registry/plugin-registry';
import { createHostedConnector } from './hosted-connector';
import { createNangoConnectionContext, NANGO_MANAGED_TOKEN } from './nango-connection-context';
import {
  fakeGitHubDefinition,
  fakeHostedDefinition,
  fakeLocalOnlyDefinition,
  type ProbeConnector,
} from './testing/fake-definitions';

const SECRET = 'sk-hosted-test-secret';

describe('createHostedConnector', () => {
  let nango: LoopbackServer;
  beforeAll(async () => {
    nango = await startLoopback((request, response) => {
      if (request.url === '/proxy/repos/octo/hello/issues')
        sendJson(response, 200, [{ title: 'One' }, { title: 'Two' }]);
      else sendJson(response, 404, { message: 'nope' });
    });
  });
  afterAll(async () => nango.close());

  function context() {
    return createNangoConnectionContext({
      connectionId: 'conn-9',
      providerConfigKey: 'github-app',
      nangoSecretKey: SECRET,
      nangoBaseUrl: nango.url,
    });
  }

  it('builds the connector from the registry with NANGO_MANAGED_TOKEN credentials and the proxy fetch', async () => {
    const registry = createConnectorRegistry();
    registry.register(fakeGitHubDefinition());
    const connector = createHostedConnector({
      provider: 'github',
      nangoContext: context(),
      params: { owner: 'octo', repo: 'hello' },
      registry,
    }) as ProbeConnector;
    expect(connector.config.token).toBe(NANGO_MANAGED_TOKEN);
    expect(await connector.listTitles()).toEqual(['One', 'Two']);
    const sent = nango.requests.at(-1);
    expect(sent?.url).toBe('/proxy/repos/octo/hello/issues');
    expect(sent?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(sent?.headers['connection-id']).toBe('conn-9');
    expect(sent?.headers['provider-config-key']).toBe('github-app');
    expect(sent?.headers['nango-proxy-accept']).toBe('application/vnd.github+json');
  });

  it.each(['beads', 'fp', 'azure_devops', 'unknown', 'GitHub'])(
    'rejects %s like the original',
    (provider) => {
      const registry = createConnectorRegistry();
      registry.register(fakeGitHubDefinition());
      expect(() =>
        createHostedConnector({ provider, nangoContext: context(), params: {}, registry }),
      ).toThrow(new ConnectorConfigError(`Unsupported hosted provider: '${provider}'`));
    },
  );

  it('builds a registered third-party definition with hosted facts', () => {
    const registry = createConnectorRegistry();
    registry.register(fakeHostedDefinition('acme', ['project_key']));
    const connector = createHostedConnector({
      provider: 'acme',
      nangoContext: context(),
      params: { project: 'P' },
      registry,
    }) as unknown as { name: string; config: { token: string; project: string } };
    expect(connector.name).toBe('acme');
    expect(connector.config).toEqual({ token: NANGO_MANAGED_TOKEN, project: 'P' });
  });

  it('rejects a registered third-party definition without hosted facts like the original', () => {
    const registry = createConnectorRegistry();
    registry.register(fakeLocalOnlyDefinition('acme'));
    expect(() =>
      createHostedConnector({ provider: 'acme', nangoContext: context(), params: {}, registry }),
    ).toThrow(new ConnectorConfigError("Unsupported hosted provider: 'acme'"));
  });

  it('names the package to install when the provider is not registered', () => {
    const registry = createConnectorRegistry();
    let error: unknown;
    try {
      createHostedConnector({ provider: 'jira', nangoContext: context(), params: {}, registry });
    } catch (caught) {
      error = caught;
    }
    expect(ConnectorConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('npm install @spec-kitty/connector-jira');
  });

  it('refuses a registered connector without hosted support', () => {
    const registry = createConnectorRegistry();
    registry.register(fakeLocalOnlyDefinition('gitlab'));
    expect(() =>
      createHostedConnector({ provider: 'gitlab', nangoContext: context(), params: {}, registry }),
    ).toThrow(/does not support hosted \(Nango\) mode/);
  });

  it('reports bad params with the field name', () => {
    const registry = createConnectorRegistry();
    registry.register(fakeGitHubDefinition());
    expect(() =>
      createHostedConnector({
        provider: 'github',
        nangoContext: context(),
        params: { owner: 'octo', repo: '' },
        registry,
      }),
    ).toThrow("Invalid hosted params for provider 'github': repo: repo must not be empty");
  });
});
