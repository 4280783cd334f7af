/** JSON with sorted keys, so equal filters always name the same checkpoint scope. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Default checkpoint scope: the connector name, plus the filters when there are any. */
export function defaultCheckpointScope(
  connectorName: string,
  filters: Readonly<Record<string, unknown>> | undefined | null,
): string {
  const hasFilters = filters !== undefined && filters !== null && Object.keys(filters).length > 0;
  return hasFilters ? `${connectorName}?${stableJson(filters)}` : connectorName;
}
