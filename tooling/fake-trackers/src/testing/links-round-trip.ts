// What every connector's links round-trip test does the same way: a shared-ownership engine,
// links as comparable pairs, a local link edit, and "the next syncs write nothing".
import {
  type CanonicalIssue,
  CanonicalIssueType,
  type CanonicalLink,
  CanonicalStatus,
  cloneIssue,
  createIssue,
  type ExternalRef,
  FieldOwner,
  type IssueStore,
  OwnershipPolicy,
  type SyncEngine,
} from '@spec-kitty/core';
import { expect } from 'vitest';

/** Every field shared: a change on either side wins by the usual three-way merge. */
export function sharedOwnership(): OwnershipPolicy {
  return OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
}

/** Links as `[type, target id]` pairs, in the issue's order (what the tests compare). */
export function linkPairs(issue: { readonly links: readonly CanonicalLink[] }): [string, string][] {
  return issue.links.map((link) => [link.type, link.target.id]);
}

/** A recorded request, as every fake's `calls` holds it. */
interface RecordedCall {
  readonly method: string;
  readonly endpoint: string;
}

/**
 * Requests that change something: every non-GET call except `reads` (endpoint labels of reads
 * sent as POST, such as a GraphQL query or Jira's `POST …/search/jql`).
 */
export function countWrites(calls: readonly RecordedCall[], reads: readonly string[] = []): number {
  return calls.filter((call) => call.method !== 'GET' && !reads.includes(call.endpoint)).length;
}

/**
 * Runs `rounds` syncs (default 2) and expects each to fail nothing and push nothing, and
 * `writes()` not to grow: links read back as written cause no echo writes.
 */
export async function expectQuietSyncs(
  engine: SyncEngine,
  writes: () => number,
  options: { rounds?: number; limit?: number } = {},
): Promise<void> {
  const before = writes();
  for (let round = 0; round < (options.rounds ?? 2); round++) {
    const result = await engine.sync({ limit: options.limit ?? 10 });
    expect(result.failures).toEqual([]);
    expect(result.stats.pushedUpdated).toBe(0);
  }
  expect(writes() - before).toBe(0);
}

/** The stored issue of `system` that `match` picks (the test fails when there is none). */
export async function storedIssue(
  store: IssueStore,
  system: string,
  match: (issue: CanonicalIssue) => boolean,
): Promise<CanonicalIssue> {
  const found = (await store.listIssues({ system })).find(match);
  expect(found, `no stored ${system} issue matches`).toBeDefined();
  return found as CanonicalIssue;
}

/** A local edit: `links` put before the issue's own, dated a minute ahead so the sync pushes it. */
export async function addLocalLinks(
  store: IssueStore,
  issue: CanonicalIssue,
  links: readonly CanonicalLink[],
): Promise<void> {
  await store.upsertIssue(
    cloneIssue(issue, { links: [...links, ...issue.links], updatedAt: new Date(Date.now() + 60_000) }),
  );
}

/** A new local issue (todo task) with `links`, for the create path. */
export function draftWithLinks(
  ref: ExternalRef,
  title: string,
  links: readonly CanonicalLink[],
): CanonicalIssue {
  return createIssue({
    ref,
    title,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    links: [...links],
  });
}
