import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { capabilities } from '../capabilities';
import { ConnectorConfigError } from '../errors/errors';
import type { TrackerConnector } from '../protocol/connector';
import { type AnyConnectorDefinition, CONNECTOR_PROTOCOL_VERSION } from '../protocol/connector-definition';
import type { Logger } from '../protocol/logger';
import { ConnectorInstanceRegistry } from './connector-registry';
import { createConnectorRegistry, globalConnectorRegistry } from './plugin-registry';

function fakeConnector(name: string): TrackerConnector {
  return { name, getCapabilities: async () => capabilities() } as unknown as TrackerConnector;
}

function definition(overrides: Partial<AnyConnectorDefinition> = {}): AnyConnectorDefinition {
  return {
    id: 'acme',
    displayName: 'Acme',
    protocolVersion: CONNECTOR_PROTOCOL_VERSION,
    packageName: 'acme-connector',
    packageVersion: '1.0.0',
    mode: 'direct',
    configSchema: v.strictObject({
      token: v.pipe(v.string(), v.nonEmpty('token must not be empty')),
      project: v.optional(v.string(), 'P'),
    }),
    create: (config: { token: string; project: string }) => fakeConnector(`acme:${config.project}`),
    ...overrides,
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
}

describe('ConnectorInstanceRegistry (instance, the original rules)', () => {
  it('registers by stripped lower-case name and replaces silently', () => {
    const registry = new ConnectorInstanceRegistry();
    const first = fakeConnector('  GitHub ');
    registry.register(first);
    expect(registry.get('github')).toBe(first);
    expect(registry.get('GITHUB')).toBe(first);
    const second = fakeConnector('github');
    registry.register(second);
    expect(registry.get('github')).toBe(second);
    expect(registry.connectors()).toEqual([second]);
  });

  it('rejects empty names and unknown lookups with the original messages', () => {
    const registry = new ConnectorInstanceRegistry();
    expect(() => registry.register(fakeConnector('   '))).toThrow('Connector name must not be empty');
    expect(() => registry.get('jira')).toThrow('Connector not registered: jira');
  });

  it('lists names sorted and unregisters by lower-cased (not stripped) name', () => {
    const registry = new ConnectorInstanceRegistry();
    for (const name of ['linear', 'beads', 'Jira']) registry.register(fakeConnector(name));
    expect(registry.listNames()).toEqual(['beads', 'jira', 'linear']);
    registry.unregister('JIRA');
    registry.unregister(' linear');
    registry.unregister('missing');
    expect(registry.listNames()).toEqual(['beads', 'linear']);
  });
});

describe('plugin registry', () => {
  it('creates connectors from validated config, filling schema defaults', () => {
    const registry = createConnectorRegistry();
    registry.register(definition());
    expect(registry.create('acme', { token: 't' }).name).toBe('acme:P');
  });

  it('re-registration of the same package and version is a no-op', () => {
    const logger = recordingLogger();
    const registry = createConnectorRegistry({ logger });
    expect(registry.register(definition())).toBe(true);
    expect(registry.register(definition())).toBe(true);
    expect(logger.warnings).toEqual([]);
    expect(registry.list()).toHaveLength(1);
  });

  it('warns and keeps the first on a conflicting registration, unless overridden', () => {
    const logger = recordingLogger();
    const registry = createConnectorRegistry({ logger });
    const first = definition();
    registry.register(first);
    expect(registry.register(definition({ packageVersion: '2.0.0' }))).toBe(false);
    expect(registry.get('acme')).toBe(first);
    expect(logger.warnings[0]).toContain(
      'already registered by acme-connector@1.0.0; ignoring acme-connector@2.0.0',
    );
    const replacement = definition({ packageVersion: '3.0.0' });
    expect(registry.register(replacement, { override: true })).toBe(true);
    expect(registry.get('acme')).toBe(replacement);
  });

  it('refuses another protocol version without throwing', () => {
    const logger = recordingLogger();
    const registry = createConnectorRegistry({ logger });
    expect(registry.register(definition({ protocolVersion: 2 as never }))).toBe(false);
    expect(registry.has('acme')).toBe(false);
    expect(logger.warnings[0]).toContain('speaks protocol v2');
  });

  it('names the package to install when a first-party id is missing', () => {
    const registry = createConnectorRegistry();
    registry.register(definition());
    expect(() => registry.get('github')).toThrow(ConnectorConfigError);
    expect(() => registry.get('github')).toThrow(
      'Connector "github" is not registered. Install and import its package: `npm install @spec-kitty/connector-github`, then `import \'@spec-kitty/connector-github\'` before use. Registered connectors: acme.',
    );
    expect(() => registry.get('custom')).toThrow(/third-party connectors register on import/);
  });

  it('reports every invalid config field by path', () => {
    const registry = createConnectorRegistry();
    registry.register(definition());
    expect(() => registry.create('acme', { token: '', extra: 1 } as never)).toThrow(
      /Invalid config for connector "acme": token: token must not be empty; extra: /,
    );
  });

  it('shares one global registry across two copies of core', async () => {
    const slot = Symbol.for('spec-kitty.connectors.v1');
    const saved = (globalThis as Record<symbol, unknown>)[slot];
    delete (globalThis as Record<symbol, unknown>)[slot];
    try {
      vi.resetModules();
      const copyA = (await import(`./plugin-registry?copy=${'a'}`)) as typeof import('./plugin-registry');
      const copyB = (await import(`./plugin-registry?copy=${'b'}`)) as typeof import('./plugin-registry');
      expect(copyA).not.toBe(copyB);
      copyA.registerConnector(definition());
      expect(copyB.getConnectorDefinition('acme').packageName).toBe('acme-connector');
      expect(copyB.listConnectorDefinitions().map((item) => item.id)).toEqual(['acme']);
      expect(globalConnectorRegistry()).toBe(copyB.globalConnectorRegistry());
    } finally {
      (globalThis as Record<symbol, unknown>)[slot] = saved;
    }
  });
});
