// One order for a connector's canonical links, so a list read back from the tracker compares
// equal to the one written however (and in whatever order) the links were made.

import type { CanonicalLink } from '../model/link';

/** How {@link uniqueSortedLinks} tells links apart and orders them. */
export interface LinkOrderOptions {
  /**
   * Also tell links apart by target workspace, and sort by it before the id (for trackers whose
   * ids are unique only within a repository or project). Default `false`.
   */
  readonly byWorkspace?: boolean;
  /**
   * Sort target ids as decimal numbers (shorter first, then by code unit), so `9` comes before
   * `10`. Default `false`: by code unit only.
   */
  readonly numericIds?: boolean;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * `links` with each (type, target) once, the first kept, sorted by type, then (with
 * `byWorkspace`) target workspace, then target id.
 *
 * @param links - The links, in any order; not modified.
 * @param options - Whether the workspace counts and whether ids sort as numbers.
 * @returns A new list.
 */
export function uniqueSortedLinks(
  links: readonly CanonicalLink[],
  options: LinkOrderOptions = {},
): CanonicalLink[] {
  const byWorkspace = options.byWorkspace ?? false;
  const numericIds = options.numericIds ?? false;
  const seen = new Set<string>();
  const unique = links.filter((link) => {
    const key = `${link.type}\u0000${byWorkspace ? link.target.workspace : ''}\u0000${link.target.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (left, right) =>
      compare(left.type, right.type) ||
      (byWorkspace ? compare(left.target.workspace, right.target.workspace) : 0) ||
      (numericIds ? left.target.id.length - right.target.id.length : 0) ||
      compare(left.target.id, right.target.id),
  );
}
