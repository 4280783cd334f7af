// Runtime validation of discoverer output (the original's `discovery/_validation.py`). Discoverers
// live in connector packages, so core checks every result before a host sees it. The first
// violation throws a `DiscoveryContractError` with a stable reason code (DR-/WS-/RS-) and a field
// path; messages and field paths use the original's snake_case field names, because hosts match
// on them (TS property → path name: providerContext → provider_context, parentWorkspaceId →
// parent_workspace_id, resourceType → resource_type, stableRef → stable_ref, displayName →
// display_name, connectorParams → connector_params, routingMetadata → routing_metadata).
import { DiscoveryContractError } from '../errors/errors';
import { isJsonRoundTripEqual } from '../util/json-value';
import { pyRepr } from '../util/python-text';
import type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from './discovery-types';

/** Python's `type(value).__name__` for JS values, as the original's messages print it. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null
      ? 'dict'
      : ((proto?.constructor?.name as string | undefined) ?? 'object');
  }
  return typeof value;
}

/** Python `repr()` of JSON-like values (strings quoted, None/True/False, dict/list forms). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return pyRepr(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return Number.isInteger(value) ? String(value) : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `${pyRepr(key)}: ${pythonRepr(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

type Kind = 'workspace' | 'resource';

class ItemViolation extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly kind: Kind,
    readonly fieldPath: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

function fail(kind: Kind, provider: string, fieldPath: string, reason: string, message: string): never {
  throw new ItemViolation(message, provider, kind, fieldPath, reason);
}

function requireNonEmptyStr(
  kind: Kind,
  provider: string,
  item: Record<string, unknown>,
  key: string,
  fieldPath: string,
  reason: string,
): void {
  const value = item[key];
  // Truthiness only, as the original: "   " passes.
  if (typeof value !== 'string' || value.length === 0) {
    fail(
      kind,
      provider,
      fieldPath,
      reason,
      `${kind}.${fieldPath} must be a non-empty str, got ${pythonTypeName(value)} (${pythonRepr(value)})`,
    );
  }
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkOptionalStr(
  kind: Kind,
  provider: string,
  container: Record<string, unknown>,
  key: string,
  parentPath: string,
  reason: string,
): void {
  if (!(key in container)) return;
  const value = container[key];
  if (value === null || typeof value === 'string') return;
  fail(
    kind,
    provider,
    `${parentPath}.${key}`,
    reason,
    `${key} must be str | None, got ${pythonTypeName(value)}`,
  );
}

function attribution(item: Record<string, unknown>): string {
  const provider = item.provider;
  return typeof provider === 'string' && provider.length > 0 ? provider : '<unknown>';
}

function asRecord(item: unknown): Record<string, unknown> {
  return isDict(item) ? item : {};
}

/** Checks one workspace; throws `DiscoveryContractError` (field paths relative to the workspace). */
export function validateWorkspace(workspace: unknown): asserts workspace is DiscoveredWorkspace {
  rethrowAsContractError(() => checkWorkspace(asRecord(workspace)), '');
}

/** Checks one resource; throws `DiscoveryContractError` (field paths relative to the resource). */
export function validateResource(resource: unknown): asserts resource is DiscoveredResource {
  rethrowAsContractError(() => checkResource(asRecord(resource)), '');
}

function checkWorkspace(item: Record<string, unknown>): void {
  const kind = 'workspace';
  const provider = attribution(item);
  requireNonEmptyStr(kind, provider, item, 'id', 'id', 'WS-001');
  requireNonEmptyStr(kind, provider, item, 'name', 'name', 'WS-002');
  if (typeof item.display !== 'string') {
    fail(
      kind,
      provider,
      'display',
      'WS-003',
      `workspace.display must be a str, got ${pythonTypeName(item.display)} (${pythonRepr(item.display)})`,
    );
  }
  requireNonEmptyStr(kind, provider, item, 'kind', 'kind', 'WS-004');
  requireNonEmptyStr(kind, provider, item, 'provider', 'provider', 'WS-005');
  const context = item.providerContext;
  if (context === null || context === undefined) return;
  if (!isDict(context)) {
    fail(
      kind,
      provider,
      'provider_context',
      'WS-006',
      `workspace.provider_context must be dict or None, got ${pythonTypeName(context)}`,
    );
  }
  if (!isJsonRoundTripEqual(context)) {
    fail(
      kind,
      provider,
      'provider_context',
      'WS-007',
      'workspace.provider_context must be JSON-serializable (JSON round-trip changed it)',
    );
  }
  checkOptionalStr(kind, provider, context, 'workspace_handle', 'provider_context', 'WS-008');
  checkOptionalStr(kind, provider, context, 'workspace_url', 'provider_context', 'WS-009');
}

function checkResource(item: Record<string, unknown>): void {
  const kind = 'resource';
  const provider = attribution(item);
  requireNonEmptyStr(kind, provider, item, 'provider', 'provider', 'RS-001');
  requireNonEmptyStr(kind, provider, item, 'parentWorkspaceId', 'parent_workspace_id', 'RS-002');
  requireNonEmptyStr(kind, provider, item, 'resourceType', 'resource_type', 'RS-003');
  requireNonEmptyStr(kind, provider, item, 'stableRef', 'stable_ref', 'RS-004');
  requireNonEmptyStr(kind, provider, item, 'displayName', 'display_name', 'RS-005');
  const params = item.connectorParams;
  if (!isDict(params)) {
    fail(
      kind,
      provider,
      'connector_params',
      'RS-006',
      `resource.connector_params must be dict, got ${pythonTypeName(params)}`,
    );
  }
  if (Object.keys(params).length === 0) {
    fail(kind, provider, 'connector_params', 'RS-007', 'resource.connector_params must be non-empty');
  }
  if (!isJsonRoundTripEqual(params)) {
    fail(
      kind,
      provider,
      'connector_params',
      'RS-008',
      'resource.connector_params must be JSON-serializable (JSON round-trip changed it)',
    );
  }
  const routing = item.routingMetadata;
  if (!isDict(routing)) {
    fail(
      kind,
      provider,
      'routing_metadata',
      'RS-009',
      `resource.routing_metadata must be dict, got ${pythonTypeName(routing)}`,
    );
  }
  if (!isJsonRoundTripEqual(routing)) {
    fail(
      kind,
      provider,
      'routing_metadata',
      'RS-010',
      'resource.routing_metadata must be JSON-serializable (JSON round-trip changed it)',
    );
  }
  checkOptionalStr(kind, provider, routing, 'display_key', 'routing_metadata', 'RS-011');
  checkOptionalStr(kind, provider, routing, 'resource_url', 'routing_metadata', 'RS-012');
}

function rethrowAsContractError(check: () => void, pathPrefix: string): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof ItemViolation)) throw error;
    throw new DiscoveryContractError(error.message, {
      provider: error.provider,
      kind: error.kind,
      fieldPath: `${pathPrefix}${error.fieldPath}`,
      reason: error.reason,
    });
  }
}

function envelopeError(message: string, fieldPath: string, reason: string): DiscoveryContractError {
  return new DiscoveryContractError(message, { provider: null, kind: 'result', fieldPath, reason });
}

function validateEnvelope(result: unknown): readonly unknown[] {
  if (!isDict(result))
    throw envelopeError(
      `adapter must return DiscoveryResult, got ${pythonTypeName(result)}`,
      '<root>',
      'DR-001',
    );
  if (!Array.isArray(result.items)) {
    throw envelopeError(
      `DiscoveryResult.items must be a list, got ${pythonTypeName(result.items)}`,
      'items',
      'DR-002',
    );
  }
  if (typeof result.truncated !== 'boolean') {
    throw envelopeError(
      `DiscoveryResult.truncated must be a bool, got ${pythonTypeName(result.truncated)}`,
      'truncated',
      'DR-003',
    );
  }
  return result.items;
}

/** The original's `validate_workspace_result`; item errors get `items[i].` field paths. */
export function validateWorkspaceResult(
  result: unknown,
): asserts result is DiscoveryResult<DiscoveredWorkspace> {
  validateEnvelope(result).forEach((item, index) => {
    rethrowAsContractError(() => checkWorkspace(asRecord(item)), `items[${index}].`);
  });
}

/** The original's `validate_resource_result`; item errors get `items[i].` field paths. */
export function validateResourceResult(
  result: unknown,
): asserts result is DiscoveryResult<DiscoveredResource> {
  validateEnvelope(result).forEach((item, index) => {
    rethrowAsContractError(() => checkResource(asRecord(item)), `items[${index}].`);
  });
}
