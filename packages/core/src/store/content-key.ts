import { hash } from 'node:crypto';
import type { CanonicalIssueJSON } from '../model/issue-json';

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const byCodeUnit = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

/** `stable` of a list of strings (what JSON.stringify writes for one), sorted, without copying a sorted list. */
function sortedStrings(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  if (values.length === 1) return `[${JSON.stringify(values[0])}]`;
  return JSON.stringify([...values].sort(byCodeUnit));
}

/** `stable` of a value that is usually empty or null: the common cases without recursion. */
function stableMaybeEmpty(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : stable(value);
  if (typeof value === 'object') {
    for (const _ in value) return stable(value);
    return '{}';
  }
  return stable(value);
}

/**
 * A digest (SHA-256, 128 bits kept) of a canonical text of the ten core fields. Equal keys imply
 * equal content as the engine compares it (labels and assignees as sets, everything else
 * exactly), so "key differs from the base's key" finds every unsynced issue; a few equal-content
 * issues may be listed too, never missed. A digest keeps the row small whatever the body's size.
 */
export function contentKey(json: Omit<CanonicalIssueJSON, 'raw'>): string {
  // One-shot digest: about half the cost of a Hash object per key (the same bytes).
  return hash('sha256', contentKeyText(json), 'base64url').slice(0, 22);
}

/**
 * The canonical text a content key digests: `stable` of the ten fields in order, built field by
 * field (scalars and string lists are their JSON; only non-empty objects take the recursive,
 * key-sorted path), so keys match those already stored.
 */
export function contentKeyText(json: Omit<CanonicalIssueJSON, 'raw'>): string {
  return `[${JSON.stringify(json.title)},${JSON.stringify(json.body ?? null)},${JSON.stringify(json.status)},${JSON.stringify(json.issue_type)},${JSON.stringify(json.priority ?? null)},${sortedStrings(json.assignees)},${sortedStrings(json.labels)},${stableMaybeEmpty(json.parent)},${stableMaybeEmpty(json.links)},${stableMaybeEmpty(json.custom_fields)}]`;
}

/** The reference definition of `contentKeyText` (one recursive, key-sorted pass); for tests. */
export function stableContentKeyText(json: Omit<CanonicalIssueJSON, 'raw'>): string {
  return stable([
    json.title,
    json.body,
    json.status,
    json.issue_type,
    json.priority,
    [...json.assignees].sort(byCodeUnit),
    [...json.labels].sort(byCodeUnit),
    json.parent,
    json.links,
    json.custom_fields,
  ]);
}
