// What a durable inbox's `inboxStats` makes of its per-state counts (one `GROUP BY state` query),
// so every store reports the same numbers the same way.
import type { InboxStats } from './webhook-inbox';

/** One `state` group of an inbox table: its row count and oldest receive time (a Date or epoch ms). */
export interface InboxStateGroup {
  readonly state: string;
  readonly n: number;
  readonly oldest: Date | number | null;
}

/**
 * `InboxStats` from per-state groups: the counts of `queued`, `in_flight`, `dead` and `done`
 * (0 for a state with no group; other states are ignored) and the oldest receive time among the
 * pending (`queued`, `in_flight`) groups.
 */
export function inboxStatsFromGroups(groups: readonly InboxStateGroup[]): InboxStats {
  const count = (state: string) => groups.find((group) => group.state === state)?.n ?? 0;
  let oldest: number | null = null;
  for (const group of groups) {
    if ((group.state !== 'queued' && group.state !== 'in_flight') || group.oldest === null) continue;
    const time = group.oldest instanceof Date ? group.oldest.getTime() : group.oldest;
    if (oldest === null || time < oldest) oldest = time;
  }
  return {
    queued: count('queued'),
    inFlight: count('in_flight'),
    dead: count('dead'),
    done: count('done'),
    oldestPendingAt: oldest === null ? null : new Date(oldest),
  };
}
