import { createOpaqueCursorCodec } from '@spec-kitty/core/http';

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

/** The wire form: one-letter keys. */
interface WireCursor {
  m: 'id' | 'date';
  f: string | null;
  t: string | null;
  w: number | null;
  s: number[];
  a: number;
  b: number | null;
  c: string | null;
  o: number;
}

const isDate = (value: unknown) =>
  value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

const azureCursors = createOpaqueCursorCodec<WireCursor>({
  trackerName: 'Azure DevOps',
  provider: 'azure_devops',
  prefix: 'ado1.',
  parse: (data) => {
    const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const valid =
      (d.m === 'id' || d.m === 'date') &&
      isDate(d.f) &&
      isDate(d.t) &&
      (d.w === null || (typeof d.w === 'number' && d.w > 0)) &&
      Array.isArray(d.s) &&
      d.s.every((id) => Number.isInteger(id)) &&
      isCount(d.a) &&
      (d.b === null || isCount(d.b)) &&
      (d.c === null || typeof d.c === 'string') &&
      isCount(d.o);
    return valid ? (d as unknown as WireCursor) : undefined;
  },
});

export function encodeAzureCursor(cursor: AzureListCursor): string {
  return azureCursors.encode({
    m: cursor.mode,
    f: cursor.from,
    t: cursor.to,
    w: cursor.width,
    s: cursor.seen,
    a: cursor.idFrom,
    b: cursor.idTo,
    c: cursor.scan,
    o: cursor.offset,
  });
}

export function decodeAzureCursor(raw: string): AzureListCursor {
  const d = azureCursors.decode(raw);
  return {
    mode: d.m,
    from: d.f,
    to: d.t,
    width: d.w,
    seen: d.s,
    idFrom: d.a,
    idTo: d.b,
    scan: d.c,
    offset: d.o,
  };
}
