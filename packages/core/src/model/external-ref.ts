import { ModelValidationError } from '../errors/errors';
import { isBlank } from '../util/python-text';

/** Where an issue lives in a tracker. Immutable; `identity` ignores `key` and `url`. */
export interface ExternalRef {
  /** The connector's system name, e.g. `github`. */
  readonly system: string;
  /** The tracker scope, e.g. `octo/hello`. */
  readonly workspace: string;
  /** The vendor's stable id of the issue. */
  readonly id: string;
  /** Human-facing key, e.g. `PROJ-3`, when the tracker has one. */
  readonly key: string | null;
  /** Web URL, when known. */
  readonly url: string | null;
}

/** What `createRef` takes (`key` and `url` default to null). */
export interface ExternalRefInit {
  /** The connector's system name, e.g. `github`. */
  system: string;
  /** The tracker scope, e.g. `octo/hello`. */
  workspace: string;
  /** The vendor's stable id of the issue. */
  id: string;
  /** Human-facing key, e.g. `PROJ-3`, when the tracker has one. */
  key?: string | null;
  /** Web URL, when known. */
  url?: string | null;
}

/** Marks refs `createRef` built (validated, frozen), so they are shared instead of rebuilt. */
const VALID_REF = Symbol.for('spec-kitty.valid-ref');
/** The identity of a ref `createRef` built, computed once (stores and the engine key maps by it). */
const IDENTITY = Symbol.for('spec-kitty.ref-identity');

/** True when `value` is a ref `createRef` built (validated and frozen). */
export function isValidRef(value: unknown): value is ExternalRef {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, VALID_REF);
}

/** Validates and freezes; a ref this function already built is returned as is. */
export function createRef(init: ExternalRefInit): ExternalRef {
  if (Object.hasOwn(init, VALID_REF)) return init as ExternalRef;
  for (const field of ['system', 'workspace', 'id'] as const) {
    const value = init[field];
    if (typeof value !== 'string') {
      throw new ModelValidationError(
        `ExternalRef.${field} must be a string, got ${value === null ? 'null' : typeof value}`,
      );
    }
    if (isBlank(value)) throw new ModelValidationError(`ExternalRef.${field} must not be empty`);
  }
  for (const field of ['key', 'url'] as const) {
    const value = init[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new ModelValidationError(`ExternalRef.${field} must be a string or null, got ${typeof value}`);
    }
  }
  const ref = {
    system: init.system,
    workspace: init.workspace,
    id: init.id,
    key: init.key ?? null,
    url: init.url ?? null,
  };
  Object.defineProperty(ref, VALID_REF, { value: true });
  // Built by join, which makes one flat string: a concatenation would be a rope that the first
  // hash-map look-up (usually in a hot loop of the engine or a store) flattens into a copy.
  Object.defineProperty(ref, IDENTITY, { value: [ref.system, ref.workspace, ref.id].join(':') });
  return Object.freeze(ref);
}

/** `system:workspace:id`, raw values, no escaping (the original's `identity`). */
export function refIdentity(ref: ExternalRef): string {
  return (ref as { [IDENTITY]?: string })[IDENTITY] ?? `${ref.system}:${ref.workspace}:${ref.id}`;
}

/** All five fields equal (two refs with one identity but different keys are not equal). */
export function refsEqual(left: ExternalRef | null, right: ExternalRef | null): boolean {
  if (left === right) return true;
  if (left === null || right === null) return false;
  return (
    left.system === right.system &&
    left.workspace === right.workspace &&
    left.id === right.id &&
    left.key === right.key &&
    left.url === right.url
  );
}
