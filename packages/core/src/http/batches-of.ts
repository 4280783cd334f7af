/**
 * `items` in consecutive slices of at most `size`, in order: the batches of a vendor's bulk
 * endpoint (Jira `issue/bulkfetch` 100, GitLab `iids[]` 100, ...). No items: no batch.
 */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
