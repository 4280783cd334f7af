import { describe, expect, it } from 'vitest';
import { batchesOf } from './batches-of';

describe('batchesOf', () => {
  it('slices in order, the last batch holding the rest', () => {
    expect(batchesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchesOf(['a', 'b'], 100)).toEqual([['a', 'b']]);
  });

  it('makes no batch of no items', () => {
    expect(batchesOf([], 100)).toEqual([]);
  });

  it('refuses a size that is not a positive integer (it would never end or never slice)', () => {
    expect(() => batchesOf([1], 0)).toThrow(/positive integer, got 0/);
    expect(() => batchesOf([1], 1.5)).toThrow(RangeError);
  });
});
