import { ModelValidationError } from '../errors/errors';
import { freezeJsonInPlace, type JsonValue } from '../util/json-value';
import type { CanonicalIssueType, CanonicalStatus, LinkType } from './enums';
import { createRef, type ExternalRef } from './external-ref';
import { type CanonicalIssue, createIssue } from './issue';

// Wire format = the original's snake_case payload, so stored payloads interoperate with the
// Python package and with hosts that already persist it.

/** An `ExternalRef` in the original's JSON shape. */
export interface ExternalRefJSON {
  /** `ExternalRef.system`. */
  system: string;
  /** `ExternalRef.workspace`. */
  workspace: string;
  /** `ExternalRef.id`. */
  id: string;
  /** `ExternalRef.key`. */
  key: string | null;
  /** `ExternalRef.url`. */
  url: string | null;
}

/** A `CanonicalIssue` in the original's JSON shape (snake_case keys, ISO dates). */
export interface CanonicalIssueJSON {
  /** The issue's ref. */
  ref: ExternalRefJSON;
  /** Title. */
  title: string;
  /** Body, or null. */
  body: string | null;
  /** Canonical status. */
  status: CanonicalStatus;
  /** Canonical issue type. */
  issue_type: CanonicalIssueType;
  /** Priority 0–4, or null. */
  priority: number | null;
  /** Assignees. */
  assignees: string[];
  /** Labels. */
  labels: string[];
  /** Parent ref, or null. */
  parent: ExternalRefJSON | null;
  /** Links. */
  links: {
    /** Link type. */
    type: LinkType;
    /** The linked issue. */
    target: ExternalRefJSON;
  }[];
  /** Custom fields. */
  custom_fields: Record<string, JsonValue>;
  /** ISO 8601 creation time, or null. */
  created_at: string | null;
  /** ISO 8601 update time, or null. */
  updated_at: string | null;
  /** Vendor payload, or null. */
  raw: Record<string, unknown> | null;
}

/** An `ExternalRef` as JSON. */
export function refToJSON(ref: ExternalRef): ExternalRefJSON {
  return { system: ref.system, workspace: ref.workspace, id: ref.id, key: ref.key, url: ref.url };
}

/** A `CanonicalIssue` as JSON (the original's shape). */
export function issueToJSON(issue: CanonicalIssue): CanonicalIssueJSON {
  return {
    ref: refToJSON(issue.ref),
    title: issue.title,
    body: issue.body,
    status: issue.status,
    issue_type: issue.issueType,
    priority: issue.priority,
    assignees: [...issue.assignees],
    labels: [...issue.labels],
    parent: issue.parent ? refToJSON(issue.parent) : null,
    links: issue.links.map((link) => ({ type: link.type, target: refToJSON(link.target) })),
    custom_fields: structuredClone(issue.customFields) as Record<string, JsonValue>,
    created_at: issue.createdAt ? issue.createdAt.toISOString() : null,
    updated_at: issue.updatedAt ? issue.updatedAt.toISOString() : null,
    raw: issue.raw === null ? null : (structuredClone(issue.raw) as Record<string, unknown>),
  };
}

function fail(path: string, message: string): never {
  throw new ModelValidationError(`Invalid issue JSON at ${path}: ${message}`);
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path, `expected an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function optionalString(record: Record<string, unknown>, key: string, path: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(`${path}.${key}`, `expected a string or null, got ${describe(value)}`);
  return value;
}

/** Parses and validates a JSON ref (`path` names it in errors). */
export function refFromJSON(value: unknown, path = 'ref'): ExternalRef {
  const record = asObject(value, path);
  for (const key of ['system', 'workspace', 'id']) {
    if (typeof record[key] !== 'string')
      fail(`${path}.${key}`, `expected a string, got ${describe(record[key])}`);
  }
  return createRef({
    system: record.system as string,
    workspace: record.workspace as string,
    id: record.id as string,
    key: optionalString(record, 'key', path),
    url: optionalString(record, 'url', path),
  });
}

function parseTimestamp(value: unknown, path: string): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(path, `expected an ISO-8601 string or null, got ${describe(value)}`);
  // Python isoformat() gives microseconds and "+00:00"; JS Date reads milliseconds, so trim the extra digits.
  const normalised = value.replace(/(\.\d{3})\d+/, '$1');
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime())) fail(path, `not an ISO-8601 timestamp: ${JSON.stringify(value)}`);
  return date;
}

function stringList(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, `expected an array of strings, got ${describe(value)}`);
  return value.map((item, index) => {
    if (typeof item !== 'string') fail(`${path}[${index}]`, `expected a string, got ${describe(item)}`);
    return item;
  });
}

/** Options of `issueFromJSON`. */
export interface IssueFromJSONOptions {
  /**
   * The value is yours to give away (e.g. fresh from `JSON.parse`): its `custom_fields` and `raw`
   * are frozen in place and become the issue's, instead of being copied.
   */
  readonly adopt?: boolean;
}

/** Parses the snake_case wire format; every problem names the exact path and what was found. */
export function issueFromJSON(value: unknown, options?: IssueFromJSONOptions): CanonicalIssue {
  const record = asObject(value, '<root>');
  const links = record.links ?? [];
  if (!Array.isArray(links)) fail('links', `expected an array, got ${describe(links)}`);
  const customFields = record.custom_fields ?? {};
  const raw = record.raw ?? null;
  if (record.title !== undefined && typeof record.title !== 'string')
    fail('title', `expected a string, got ${describe(record.title)}`);
  return createIssue({
    ref: refFromJSON(record.ref, 'ref'),
    title: record.title as string,
    body: optionalString(record, 'body', '<root>'),
    status: record.status as CanonicalStatus,
    issueType: record.issue_type as CanonicalIssueType,
    priority: (record.priority ?? null) as number | null,
    assignees: stringList(record.assignees, 'assignees'),
    labels: stringList(record.labels, 'labels'),
    parent:
      record.parent === undefined || record.parent === null ? null : refFromJSON(record.parent, 'parent'),
    links: links.map((link, index) => {
      const linkRecord = asObject(link, `links[${index}]`);
      return {
        type: linkRecord.type as LinkType,
        target: refFromJSON(linkRecord.target, `links[${index}].target`),
      };
    }),
    customFields: adopt(asObject(customFields, 'custom_fields') as Record<string, JsonValue>, options),
    createdAt: parseTimestamp(record.created_at, 'created_at'),
    updatedAt: parseTimestamp(record.updated_at, 'updated_at'),
    raw: raw === null ? null : adopt(asObject(raw, 'raw'), options),
  });
}

function adopt<T>(value: T, options: IssueFromJSONOptions | undefined): T {
  return options?.adopt === true ? freezeJsonInPlace(value) : value;
}
