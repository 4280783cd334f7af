// Bounded-concurrency map: connectors fan out per-item reads (relations, gone probes) without
// opening one request per item at once.

/**
 * Calls `fn` on every item of `items` with at most `limit` calls in flight, and resolves to the
 * results in input order. The first rejection rejects the whole call; the worker that met it stops,
 * while the others finish the items left (their results are dropped).
 *
 * @param items - The inputs, read in order.
 * @param limit - The most calls in flight at once (at least 1).
 * @param fn - The call made for each item.
 * @returns The results, `results[i]` being `fn(items[i])`'s.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
