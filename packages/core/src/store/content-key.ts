import { createHash } from 'node:crypto';
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

/**
 * A digest (SHA-256, 128 bits kept) of a canonical text of the ten core fields. Equal keys imply
 * equal content as the engine compares it (labels and assignees as sets, everything else
 * exactly), so "key differs from the base's key" finds every unsynced issue; a few equal-content
 * issues may be listed too, never missed. A digest keeps the row small whatever the body's size.
 */
export function contentKey(json: Omit<CanonicalIssueJSON, 'raw'>): string {
  const text = stable([
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
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
