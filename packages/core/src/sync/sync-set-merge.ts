/**
 * Three-way merge of a set-valued field (labels, assignees) against the sync base, element by
 * element: an element either side added is kept, an element either side removed is dropped.
 *
 * An element is in the base or it is not. If it is, a side can only keep or remove it; if it is
 * not, a side can only add it or leave it out. So "added on one side, removed on the other" cannot
 * happen against one base, and this merge never conflicts.
 *
 * Order: the local members that survive, in local order, then the tracker's additions in the
 * tracker's order (set fields are compared order-insensitively, so order is presentation only).
 */
export function mergeMembers(
  local: readonly string[],
  external: readonly string[],
  base: readonly string[],
): string[] {
  const inBase = new Set(base);
  const inExternal = new Set(external);
  const inLocal = new Set(local);
  const merged = new Set<string>();
  for (const member of local) {
    const removedByExternal = inBase.has(member) && !inExternal.has(member);
    if (!removedByExternal) merged.add(member);
  }
  for (const member of external) {
    const addedByExternal = !inBase.has(member) && !inLocal.has(member);
    if (addedByExternal) merged.add(member);
  }
  return [...merged];
}
