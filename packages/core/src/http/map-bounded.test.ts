import { describe, expect, it } from 'vitest';
import { mapBounded } from './map-bounded';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('mapBounded', () => {
  it('keeps input order when calls finish out of order', async () => {
    const gates = [deferred(), deferred(), deferred()];
    const running = mapBounded([0, 1, 2], 3, async (item) => {
      await gates[item]?.promise;
      return item * 10;
    });
    gates[2]?.resolve();
    gates[0]?.resolve();
    gates[1]?.resolve();
    await expect(running).resolves.toEqual([0, 10, 20]);
  });

  it('never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 0));
      inFlight -= 1;
      return item;
    });
    expect(results).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('calls nothing for no items', async () => {
    let calls = 0;
    await expect(
      mapBounded([], 4, async () => {
        calls += 1;
      }),
    ).resolves.toEqual([]);
    expect(calls).toBe(0);
  });

  it('rejects with the first failure; a lone worker takes no item after it', async () => {
    const started: number[] = [];
    const running = mapBounded([1, 2, 3, 4], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('item 2 failed');
      return item;
    });
    await expect(running).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2]);
  });
});
