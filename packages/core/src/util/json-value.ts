/** A JSON-compatible value (the original's `JSONValue`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Deep copy of JSON-like data; Dates are kept as new Date instances. Faster than structuredClone here. */
export function cloneJsonLike<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(cloneJsonLike) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneJsonLike((value as Record<string, unknown>)[key]);
  return copy as T;
}

/**
 * Marks objects this package deep-froze itself (non-enumerable, so JSON, spreads, `Object.keys`
 * and equality checks never see it). A marked value is immutable all the way down and can be
 * shared instead of copied. `Symbol.for`, so a second copy of the package recognises it too.
 */
const DEEP_FROZEN = Symbol.for('spec-kitty.deep-frozen');

/** True when `value` is an object this package deep-froze (safe to share by reference). */
export function isDeepFrozen(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, DEEP_FROZEN);
}

/** Marks and freezes `target` (an object or array whose children are already frozen). */
export function markDeepFrozen<T extends object>(target: T): T {
  Object.defineProperty(target, DEEP_FROZEN, { value: true });
  return Object.freeze(target);
}

/**
 * A deep-frozen copy of JSON-like data (Dates are copied, not frozen: a frozen Date still
 * mutates). A value this package already deep-froze is returned as is.
 */
export function frozenJsonCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Object.hasOwn(value, DEEP_FROZEN)) return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let index = 0; index < value.length; index++) copy[index] = frozenJsonCopy(value[index]);
    return markDeepFrozen(copy) as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = frozenJsonCopy((value as Record<string, unknown>)[key]);
  return markDeepFrozen(copy) as T;
}

/**
 * Deep-freezes JSON-like data in place (for values nobody else holds, e.g. fresh from
 * `JSON.parse`): no copy at all. Returns `value`.
 */
export function freezeJsonInPlace<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (Object.hasOwn(value, DEEP_FROZEN)) return value;
  if (Array.isArray(value)) {
    for (const item of value) freezeJsonInPlace(item);
  } else {
    for (const key of Object.keys(value)) freezeJsonInPlace((value as Record<string, unknown>)[key]);
  }
  return markDeepFrozen(value);
}

/** True when `value` survives a JSON round trip unchanged (the original's discovery rule). */
export function isJsonRoundTripEqual(value: unknown): boolean {
  try {
    return jsonStrictEqual(JSON.parse(JSON.stringify(value)), value);
  } catch {
    return false;
  }
}

function jsonStrictEqual(parsed: unknown, original: unknown): boolean {
  if (typeof original === 'number') return parsed === original && Number.isFinite(original);
  if (original === null || typeof original === 'string' || typeof original === 'boolean')
    return parsed === original;
  if (Array.isArray(original)) {
    return (
      Array.isArray(parsed) &&
      parsed.length === original.length &&
      original.every((item, index) => jsonStrictEqual(parsed[index], item))
    );
  }
  if (typeof original === 'object') {
    const proto = Object.getPrototypeOf(original);
    if (proto !== Object.prototype && proto !== null) return false;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
    const keys = Object.keys(original);
    if (keys.length !== Object.keys(parsed).length) return false;
    return keys.every((key) =>
      jsonStrictEqual((parsed as Record<string, unknown>)[key], (original as Record<string, unknown>)[key]),
    );
  }
  return false;
}
