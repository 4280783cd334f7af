import { describe, expect, it } from 'vitest';
import { CAPABILITY_FLAGS, capabilities, capabilitiesAsRecord, DEFAULT_CAPABILITIES } from './capabilities';
import { createLocalExecutionContext } from './context';
import { fakeHostedDefinition, fakeLocalOnlyDefinition } from './hosted/testing/fake-definitions';
import {
  ALL_KNOWN_PROVIDERS,
  HOSTED_PROVIDERS,
  isHostedProvider,
  isLocalProvider,
  LOCAL_PROVIDERS,
  providerMode,
  TrackerMode,
} from './mode';
import { createConnectorRegistry } from './registry/plugin-registry';

describe('provider modes', () => {
  it('has exactly two modes and the original provider sets', () => {
    expect(Object.values(TrackerMode)).toEqual(['hosted', 'local']);
    expect([...HOSTED_PROVIDERS].sort()).toEqual(['github', 'gitlab', 'jira', 'linear']);
    expect([...LOCAL_PROVIDERS].sort()).toEqual(['beads', 'fp']);
    expect(ALL_KNOWN_PROVIDERS.size).toBe(6);
    expect(ALL_KNOWN_PROVIDERS.has('azure_devops')).toBe(false);
  });

  it('keeps the provider sets immutable at runtime, so an unknown provider always throws', () => {
    for (const set of [HOSTED_PROVIDERS, LOCAL_PROVIDERS, ALL_KNOWN_PROVIDERS]) {
      // The sets are typed ReadonlySet; a JS caller (or a cast) can still reach the mutators.
      const mutable = set as Set<string>;
      const before = [...set];
      expect(() => mutable.add('clickup')).toThrow(TypeError);
      expect(() => mutable.delete('github')).toThrow(/immutable/);
      expect(() => mutable.clear()).toThrow(/immutable/);
      expect([...set]).toEqual(before);
      expect(Object.isFrozen(set)).toBe(true);
      expect(set).toBeInstanceOf(Set);
    }
    expect(() => providerMode('clickup')).toThrow(/unknown tracker provider: 'clickup'/);
    expect(() => isHostedProvider('clickup')).toThrow(/unknown tracker provider/);
    expect(ALL_KNOWN_PROVIDERS.has('github')).toBe(true);
  });

  it('normalises case and whitespace', () => {
    expect(providerMode('  GitHub ')).toBe('hosted');
    expect(providerMode('beads')).toBe('local');
    expect(isHostedProvider('jira')).toBe(true);
    expect(isLocalProvider('fp')).toBe(true);
    expect(isLocalProvider('linear')).toBe(false);
  });

  it('fails with the original messages', () => {
    expect(() => providerMode(null)).toThrow('provider must be a string, got NoneType');
    expect(() => providerMode(3)).toThrow('provider must be a string, got int');
    expect(() => providerMode('  ')).toThrow('provider slug must not be empty');
    expect(() => providerMode('clickup')).toThrow(
      "unknown tracker provider: 'clickup'. Known providers: ['beads', 'fp', 'github', 'gitlab', 'jira', 'linear']",
    );
    expect(() => isHostedProvider('azure_devops')).toThrow(/unknown tracker provider: 'azure_devops'/);
  });
});

describe('provider modes of registered definitions', () => {
  it('treats a registered definition with hosted facts as hosted; an unregistered unknown id still throws', () => {
    const registry = createConnectorRegistry();
    registry.register(fakeHostedDefinition('acme', ['project_key']));
    registry.register(fakeLocalOnlyDefinition('notes'));
    expect(providerMode(' Acme ', { registry })).toBe('hosted');
    expect(isHostedProvider('acme', { registry })).toBe(true);
    // A registered definition without hosted facts (like Azure DevOps) is not a hosted provider.
    expect(() => providerMode('notes', { registry })).toThrow(/unknown tracker provider: 'notes'/);
    expect(() => providerMode('clickup', { registry })).toThrow(
      "unknown tracker provider: 'clickup'. Known providers: ['beads', 'fp', 'github', 'gitlab', 'jira', 'linear']",
    );
    expect(() => isHostedProvider('acme')).toThrow(/unknown tracker provider: 'acme'/);
  });
});

describe('LocalExecutionContext', () => {
  it('validates actor then repository and is frozen', () => {
    expect(() => createLocalExecutionContext({ actor: ' ', repository: '' })).toThrow(
      'LocalExecutionContext.actor must not be empty',
    );
    expect(() => createLocalExecutionContext({ actor: 'a', repository: ' ' })).toThrow(
      'LocalExecutionContext.repository must not be empty',
    );
    const context = createLocalExecutionContext({ actor: 'agent', repository: 'repo' });
    expect(context).toEqual({
      actor: 'agent',
      repository: 'repo',
      team: null,
      missionId: null,
      taskId: null,
    });
    expect(Object.isFrozen(context)).toBe(true);
  });
});

describe('capabilities', () => {
  it('has the original 12 flags in order with the original defaults and no event flag', () => {
    expect(CAPABILITY_FLAGS).toEqual([
      'supportsWebhooks',
      'supportsComments',
      'supportsHierarchy',
      'supportsDependencies',
      'supportsCustomFields',
      'supportsMultiAssignee',
      'supportsSprintsOrCycles',
      'supportsBulkRead',
      'supportsBulkWrite',
      'supportsDelete',
      'supportsAssignment',
      'supportsTerminalTransition',
    ]);
    expect(Object.values(capabilitiesAsRecord(DEFAULT_CAPABILITIES))).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(CAPABILITY_FLAGS.some((flag) => flag.toLowerCase().includes('event'))).toBe(false);
  });

  it('fills defaults and rejects unknown flags', () => {
    expect(capabilities({ supportsAssignment: true }).supportsAssignment).toBe(true);
    expect(capabilities({ supportsAssignment: true }).supportsComments).toBe(true);
    expect(() => capabilities({ supportsEvents: true } as never)).toThrow(
      /Unknown capability flag: supportsEvents/,
    );
  });
});
