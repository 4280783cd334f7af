import { describe, expect, it } from 'vitest';
import { inboxStatsFromGroups } from './inbox-stats';

describe('inboxStatsFromGroups', () => {
  it('counts each state and takes the oldest pending receive time, from Dates or epoch ms', () => {
    expect(
      inboxStatsFromGroups([
        { state: 'done', n: 4, oldest: 1 },
        { state: 'in_flight', n: 2, oldest: new Date(3000) },
        { state: 'queued', n: 3, oldest: 5000 },
        { state: 'dead', n: 1, oldest: 2 },
      ]),
    ).toEqual({ queued: 3, inFlight: 2, dead: 1, done: 4, oldestPendingAt: new Date(3000) });
  });

  it('reports zeros and no oldest time for an empty inbox or one with nothing pending', () => {
    const empty = { queued: 0, inFlight: 0, dead: 0, done: 0, oldestPendingAt: null };
    expect(inboxStatsFromGroups([])).toEqual(empty);
    expect(inboxStatsFromGroups([{ state: 'done', n: 2, oldest: new Date(1) }])).toEqual({
      ...empty,
      done: 2,
    });
    expect(inboxStatsFromGroups([{ state: 'queued', n: 1, oldest: null }])).toEqual({ ...empty, queued: 1 });
  });
});
