import { ConnectorRequestError, FailureClass } from '@spec-kitty/core';

/**
 * The `listIssues` cursor.
 * - `mode: 'id'` (full scan, no `updatedSince`): windows `[idFrom, idTo)` over `System.Id`;
 * - `mode: 'date'` (incremental): windows `[from, to)` over `System.ChangedDate`, `to` set when
 *   the window was narrowed to stay under WIQL's 20,000-result cap; `width` is the next guess.
 * `scan` + `offset` point into the id list this connector instance cached from the window's
 * WIQL. When the cache is gone (another process, a restart) the cursor resumes from a keyset:
 * `idFrom` (next id) or `from` + `seen` (newest ChangedDate returned, ids at that instant), so a
 * resumed scan re-runs WIQL from there instead of starting over.
 */
export interface AzureListCursor {
  mode: 'id' | 'date';
  from: string | null;
  to: string | null;
  width: number | null;
  seen: number[];
  idFrom: number;
  idTo: number | null;
  scan: string | null;
  offset: number;
}

export function initialCursor(from: string | null): AzureListCursor {
  return {
    mode: from === null ? 'id' : 'date',
    from,
    to: null,
    width: null,
    seen: [],
    idFrom: 0,
    idTo: null,
    scan: null,
    offset: 0,
  };
}

const PREFIX = 'ado1.';

export function encodeAzureCursor(cursor: AzureListCursor): string {
  const data = {
    m: cursor.mode,
    f: cursor.from,
    t: cursor.to,
    w: cursor.width,
    s: cursor.seen,
    a: cursor.idFrom,
    b: cursor.idTo,
    c: cursor.scan,
    o: cursor.offset,
  };
  return PREFIX + Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
}

const isDate = (value: unknown) =>
  value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

export function decodeAzureCursor(raw: string): AzureListCursor {
  if (raw.startsWith(PREFIX)) {
    try {
      const d = JSON.parse(Buffer.from(raw.slice(PREFIX.length), 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      if (
        (d.m === 'id' || d.m === 'date') &&
        isDate(d.f) &&
        isDate(d.t) &&
        (d.w === null || (typeof d.w === 'number' && d.w > 0)) &&
        Array.isArray(d.s) &&
        d.s.every((id) => Number.isInteger(id)) &&
        isCount(d.a) &&
        (d.b === null || isCount(d.b)) &&
        (d.c === null || typeof d.c === 'string') &&
        isCount(d.o)
      ) {
        return {
          mode: d.m,
          from: d.f as string | null,
          to: d.t as string | null,
          width: d.w as number | null,
          seen: d.s as number[],
          idFrom: d.a as number,
          idTo: d.b as number | null,
          scan: d.c as string | null,
          offset: d.o as number,
        };
      }
    } catch {
      // fall through
    }
  }
  throw new ConnectorRequestError(
    `Azure DevOps: malformed listIssues cursor ${JSON.stringify(raw.slice(0, 80))}; pass back the nextCursor of a previous page, or null to start over.`,
    { failureClass: FailureClass.VALIDATION, provider: 'azure_devops' },
  );
}
