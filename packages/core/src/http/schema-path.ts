// One spelling of "where in the value": `issues[3].fields.status.name`, `<root>` for the value
// itself. Used for response bodies, connector configs and hosted params alike.

/** A path segment as valibot (`{ key }`) or Standard Schema (`PropertyKey | { key }`) report it. */
export type SchemaPathSegment =
  | PropertyKey
  | {
      /** The key or index of this segment. */
      readonly key: unknown;
    };

/**
 * Bracket-style path of a schema issue: numbers as `[3]`, names joined by dots; `base` (e.g.
 * `issues[3]`, where the validated value sits in a larger body) is written first.
 */
export function formatSchemaPath(path: readonly SchemaPathSegment[] | undefined, base = ''): string {
  let out = base;
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '<root>';
}

/** `formatSchemaPath` of an issue's `path` (valibot or Standard Schema issue). */
export function formatIssuePath(
  issue: { readonly path?: readonly SchemaPathSegment[] | undefined },
  base = '',
): string {
  return formatSchemaPath(issue.path, base);
}
