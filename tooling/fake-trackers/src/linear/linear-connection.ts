// Relay connections as Linear serves them: keyset cursors, newest first, at most 250 per page.
import { FakeGapError, LinearInputError } from './linear-filters';

/** Linear's documented maximum for `first` / `last`. */
export const LINEAR_MAX_PAGE_SIZE = 250;
const DEFAULT_PAGE_SIZE = 50;

/** A resolver's arguments. */
export type Args = Record<string, unknown>;
/** A resolved object: fields, or functions of their arguments for nested fields. */
export type View = Record<string, unknown>;

interface Sortable {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date | null;
}

function encodeCursor(ms: number, id: string): string {
  return Buffer.from(JSON.stringify([ms, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw new LinearInputError(`Invalid cursor: ${cursor}`, 'The pagination cursor is invalid.');
}

/**
 * A Relay connection over `items`, ordered newest-first by `orderBy` (createdAt by default, like
 * Linear), ties broken by id; cursors are keyset positions, so a row that changes its sort key
 * after being passed does not shift the following pages.
 */
export function connection<T extends Sortable>(
  items: readonly T[],
  args: Args,
  view: (item: T) => View,
): View {
  if (args.last !== undefined && args.last !== null)
    throw new FakeGapError('backward pagination (last/before)');
  if (args.before !== undefined && args.before !== null)
    throw new FakeGapError('backward pagination (last/before)');
  const first = args.first === undefined || args.first === null ? DEFAULT_PAGE_SIZE : Number(args.first);
  if (first < 0 || first > LINEAR_MAX_PAGE_SIZE) {
    throw new LinearInputError(
      `Argument Validation Error: first must be between 0 and ${LINEAR_MAX_PAGE_SIZE}, got ${first}`,
      `You can request at most ${LINEAR_MAX_PAGE_SIZE} items per page.`,
    );
  }
  const field = args.orderBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
  const includeArchived = args.includeArchived === true;
  const key = (item: T): number => item[field].getTime();
  const sorted = items
    .filter((item) => includeArchived || !item.archivedAt)
    .sort((a, b) => key(b) - key(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  let start = 0;
  if (typeof args.after === 'string' && args.after !== '') {
    const [ms, id] = decodeCursor(args.after);
    start = sorted.findIndex((item) => key(item) < ms || (key(item) === ms && item.id < id));
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + first);
  const cursors = page.map((item) => encodeCursor(key(item), item.id));
  return {
    nodes: page.map(view),
    edges: page.map((item, index) => ({ node: view(item), cursor: cursors[index] })),
    pageInfo: {
      hasNextPage: start + first < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
  };
}
