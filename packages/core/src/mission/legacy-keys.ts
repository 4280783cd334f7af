import { ModelValidationError } from '../errors/errors';
import { compareCodePoints } from '../util/python-text';

/** TeamSpace-era keys that must never reach a tracker payload. */
export const FORBIDDEN_TEAMSPACE_LEGACY_KEYS: ReadonlySet<string> = new Set([
  'feature_slug',
  'feature_number',
  'mission_key',
]);

function collect(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) return;
  for (const [key, child] of Object.entries(value)) {
    if (FORBIDDEN_TEAMSPACE_LEGACY_KEYS.has(key)) found.add(key);
    collect(child, found);
  }
}

/**
 * Walks every object key at every depth (and arrays); throws `ModelValidationError` (the
 * original's ValueError) naming the forbidden keys found, sorted.
 */
export function assertNoForbiddenLegacyKeys(payload: unknown): void {
  const found = new Set<string>();
  collect(payload, found);
  if (found.size > 0) {
    throw new ModelValidationError(
      `Forbidden TeamSpace legacy keys in tracker payload: ${[...found].sort(compareCodePoints).join(', ')}`,
    );
  }
}
