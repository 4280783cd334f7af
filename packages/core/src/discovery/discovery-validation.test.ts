import { describe, expect, it } from 'vitest';
import { DiscoveryContractError } from '../errors/errors';
import type { DiscoveredResource, DiscoveredWorkspace } from './discovery-types';
import {
  validateResource,
  validateResourceResult,
  validateWorkspace,
  validateWorkspaceResult,
} from './discovery-validation';

const workspace: DiscoveredWorkspace = {
  id: '1001',
  name: 'octo',
  display: 'Octo Org',
  kind: 'org',
  provider: 'github',
  providerContext: {
    workspace_type: 'org',
    login: 'octo',
    workspace_handle: 'octo',
    workspace_url: 'https://github.com/octo',
  },
};

const resource: DiscoveredResource = {
  provider: 'github',
  parentWorkspaceId: '1001',
  resourceType: 'repository',
  stableRef: '42',
  displayName: 'octo/hello',
  connectorParams: { owner: 'octo', repo: 'hello' },
  routingMetadata: { repo_id: '42', display_key: 'hello', resource_url: 'https://github.com/octo/hello' },
};

function contractError(run: () => void): DiscoveryContractError {
  try {
    run();
  } catch (error) {
    if (DiscoveryContractError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a DiscoveryContractError');
}

describe('result envelope', () => {
  it.each([
    [null, 'DR-001', '<root>', 'adapter must return DiscoveryResult, got NoneType'],
    [[], 'DR-001', '<root>', 'adapter must return DiscoveryResult, got list'],
    ['x', 'DR-001', '<root>', 'adapter must return DiscoveryResult, got str'],
    [{ items: {}, truncated: false }, 'DR-002', 'items', 'DiscoveryResult.items must be a list, got dict'],
    [{ truncated: false }, 'DR-002', 'items', 'DiscoveryResult.items must be a list, got NoneType'],
    [
      { items: [], truncated: 'no' },
      'DR-003',
      'truncated',
      'DiscoveryResult.truncated must be a bool, got str',
    ],
    [{ items: [], truncated: 0 }, 'DR-003', 'truncated', 'DiscoveryResult.truncated must be a bool, got int'],
  ])('%j → %s', (result, reason, fieldPath, message) => {
    for (const validate of [validateWorkspaceResult, validateResourceResult]) {
      const error = contractError(() => validate(result));
      expect(error).toMatchObject({ reason, fieldPath, message, kind: 'result', provider: null });
    }
  });

  it('accepts valid results, empty ones included', () => {
    expect(() => validateWorkspaceResult({ items: [workspace], truncated: false })).not.toThrow();
    expect(() => validateResourceResult({ items: [resource], truncated: true })).not.toThrow();
    expect(() => validateWorkspaceResult({ items: [], truncated: false })).not.toThrow();
  });
});

describe('workspace rules', () => {
  const cases: [string, Record<string, unknown>, string, string, string][] = [
    ['WS-001', { id: '' }, 'id', "workspace.id must be a non-empty str, got str ('')", 'github'],
    ['WS-001', { id: 1001 }, 'id', 'workspace.id must be a non-empty str, got int (1001)', 'github'],
    [
      'WS-002',
      { name: null },
      'name',
      'workspace.name must be a non-empty str, got NoneType (None)',
      'github',
    ],
    ['WS-003', { display: 5 }, 'display', 'workspace.display must be a str, got int (5)', 'github'],
    ['WS-004', { kind: '' }, 'kind', "workspace.kind must be a non-empty str, got str ('')", 'github'],
    [
      'WS-005',
      { provider: '' },
      'provider',
      "workspace.provider must be a non-empty str, got str ('')",
      '<unknown>',
    ],
    [
      'WS-006',
      { providerContext: ['a'] },
      'provider_context',
      'workspace.provider_context must be dict or None, got list',
      'github',
    ],
    [
      'WS-007',
      { providerContext: { n: Number.NaN } },
      'provider_context',
      'workspace.provider_context must be JSON-serializable (JSON round-trip changed it)',
      'github',
    ],
    [
      'WS-007',
      { providerContext: { when: new Date(0) } },
      'provider_context',
      'workspace.provider_context must be JSON-serializable (JSON round-trip changed it)',
      'github',
    ],
    [
      'WS-008',
      { providerContext: { workspace_handle: 7 } },
      'provider_context.workspace_handle',
      'workspace_handle must be str | None, got int',
      'github',
    ],
    [
      'WS-009',
      { providerContext: { workspace_url: ['u'] } },
      'provider_context.workspace_url',
      'workspace_url must be str | None, got list',
      'github',
    ],
  ];

  it.each(cases)('%s: %j', (reason, override, fieldPath, message, provider) => {
    const bad = { ...workspace, ...override };
    const direct = contractError(() => validateWorkspace(bad));
    expect(direct).toMatchObject({ reason, fieldPath, message, provider, kind: 'workspace' });
    const nested = contractError(() =>
      validateWorkspaceResult({ items: [workspace, bad], truncated: false }),
    );
    expect(nested).toMatchObject({
      reason,
      fieldPath: `items[1].${fieldPath}`,
      message,
      provider,
      kind: 'workspace',
    });
  });

  it('allows whitespace names (truthiness only), an empty display, a null context and null/absent handles', () => {
    expect(() => validateWorkspace({ ...workspace, name: '  ', display: '' })).not.toThrow();
    expect(() => validateWorkspace({ ...workspace, providerContext: null })).not.toThrow();
    expect(() =>
      validateWorkspace({ ...workspace, providerContext: { workspace_handle: null } }),
    ).not.toThrow();
    expect(() => validateWorkspace({ ...workspace, providerContext: {} })).not.toThrow();
  });

  it('reports the first violation in rule order', () => {
    const error = contractError(() => validateWorkspace({ ...workspace, id: '', name: '', provider: '' }));
    expect(error.reason).toBe('WS-001');
    expect(error.provider).toBe('<unknown>');
  });

  it('a non-object item fails on its id', () => {
    const error = contractError(() => validateWorkspaceResult({ items: ['nope'], truncated: false }));
    expect(error).toMatchObject({ reason: 'WS-001', fieldPath: 'items[0].id' });
  });
});

describe('resource rules', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['RS-001', { provider: '' }, 'provider', "resource.provider must be a non-empty str, got str ('')"],
    [
      'RS-002',
      { parentWorkspaceId: 5 },
      'parent_workspace_id',
      'resource.parent_workspace_id must be a non-empty str, got int (5)',
    ],
    [
      'RS-003',
      { resourceType: undefined },
      'resource_type',
      'resource.resource_type must be a non-empty str, got NoneType (None)',
    ],
    ['RS-004', { stableRef: '' }, 'stable_ref', "resource.stable_ref must be a non-empty str, got str ('')"],
    [
      'RS-005',
      { displayName: false },
      'display_name',
      'resource.display_name must be a non-empty str, got bool (False)',
    ],
    [
      'RS-006',
      { connectorParams: null },
      'connector_params',
      'resource.connector_params must be dict, got NoneType',
    ],
    ['RS-007', { connectorParams: {} }, 'connector_params', 'resource.connector_params must be non-empty'],
    [
      'RS-008',
      { connectorParams: { n: Number.POSITIVE_INFINITY } },
      'connector_params',
      'resource.connector_params must be JSON-serializable (JSON round-trip changed it)',
    ],
    [
      'RS-009',
      { routingMetadata: 'x' },
      'routing_metadata',
      'resource.routing_metadata must be dict, got str',
    ],
    [
      'RS-010',
      { routingMetadata: { f: () => 1 } },
      'routing_metadata',
      'resource.routing_metadata must be JSON-serializable (JSON round-trip changed it)',
    ],
    [
      'RS-011',
      { routingMetadata: { display_key: 3 } },
      'routing_metadata.display_key',
      'display_key must be str | None, got int',
    ],
    [
      'RS-012',
      { routingMetadata: { resource_url: {} } },
      'routing_metadata.resource_url',
      'resource_url must be str | None, got dict',
    ],
  ];

  it.each(cases)('%s: %j', (reason, override, fieldPath, message) => {
    const bad = { ...resource, ...override };
    const provider = typeof bad.provider === 'string' && bad.provider ? bad.provider : '<unknown>';
    expect(contractError(() => validateResource(bad))).toMatchObject({
      reason,
      fieldPath,
      message,
      provider,
      kind: 'resource',
    });
    const nested = contractError(() => validateResourceResult({ items: [bad], truncated: false }));
    expect(nested).toMatchObject({ reason, fieldPath: `items[0].${fieldPath}`, message });
  });

  it('allows an empty routing_metadata and null display_key/resource_url', () => {
    expect(() => validateResource({ ...resource, routingMetadata: {} })).not.toThrow();
    expect(() =>
      validateResource({ ...resource, routingMetadata: { display_key: null, resource_url: null } }),
    ).not.toThrow();
  });

  it('quotes strings containing a quote the way Python does', () => {
    const error = contractError(() => validateResource({ ...resource, stableRef: 7, displayName: "it's" }));
    expect(error.reason).toBe('RS-004');
    const other = contractError(() => validateWorkspace({ ...workspace, display: ["it's"] }));
    expect(other.message).toBe(`workspace.display must be a str, got list (["it's"])`);
  });
});
