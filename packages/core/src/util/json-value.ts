/** A JSON-compatible value (the original's `JSONValue`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
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
