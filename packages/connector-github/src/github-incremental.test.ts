import type { CanonicalIssue } from '@spec-kitty/core';
import { MalformedCursorError } from '@spec-kitty/core/http';
import { describe, expect, it } from 'vitest';
import type { GitHubConnector } from './github-connector';
import { type GitHubTestEnv, headerStrippingFetch, useGitHubEnvs } from './testing/github-test-env';

const LIST = 'GET /repos/{owner}/{repo}/issues';

let env: GitHubTestEnv | undefined;

const startEnv = useGitHubEnvs();

/** Pages through listIssues; `between` runs after each page (to mutate the fake mid-scan). */
async function scan(
  connector: GitHubConnector,
  options: {
    limit: number;
    updatedSince?: Date | null;
    cursor?: string | null;
    between?: (page: number) => void;
  } = {
    limit: 100,
  },
): Promise<{ items: CanonicalIssue[]; pages: number }> {
  const items: CanonicalIssue[] = [];
  let cursor: string | null = options.cursor ?? null;
  let pages = 0;
  do {
    const page = await connector.listIssues({
      updatedSince: options.updatedSince ?? null,
      cursor,
      limit: options.limit,
    });
    pages += 1;
    items.push(...page.items);
    cursor = page.nextCursor;
    options.between?.(pages);
    if (pages > 50) throw new Error('scan did not terminate');
  } while (cursor !== null);
  return { items, pages };
}

const numbers = (items: CanonicalIssue[]) => items.map((issue) => Number(issue.ref.id));

describe('listIssues pagination', () => {
  it('pages by the Link header, ascending by update time, with pull requests filtered out', async () => {
    env = await startEnv();
    for (let index = 1; index <= 5; index += 1) {
      env.fake.seedIssue({ title: `Issue ${index}` });
      if (index % 2 === 0) env.fake.seedIssue({ title: `PR ${index}`, pullRequest: true });
    }
    const { items, pages } = await scan(env.connector, { limit: 2 });
    expect(items.map((issue) => issue.title)).toEqual([
      'Issue 1',
      'Issue 2',
      'Issue 3',
      'Issue 4',
      'Issue 5',
    ]);
    expect(items.some((issue) => issue.title.startsWith('PR'))).toBe(false);
    // 7 rows, 2 per page: the Link header ends the scan on the 4th page without an extra empty call.
    expect(pages).toBe(4);
    expect(env.fake.server.callCount(LIST)).toBe(4);
  });

  it('does not stop at a page made only of pull requests', async () => {
    env = await startEnv();
    for (let index = 0; index < 3; index += 1)
      env.fake.seedIssue({ title: `PR ${index}`, pullRequest: true });
    env.fake.seedIssue({ title: 'Real issue' });
    const first = await env.connector.listIssues({ updatedSince: null, cursor: null, limit: 3 });
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const second = await env.connector.listIssues({ updatedSince: null, cursor: first.nextCursor, limit: 3 });
    expect(second.items.map((issue) => issue.title)).toEqual(['Real issue']);
    expect(second.nextCursor).toBeNull();
  });

  it('falls back to the short-page rule when a proxy strips the Link header', async () => {
    env = await startEnv();
    for (let index = 1; index <= 5; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const stripped = env.connect({ fetch: headerStrippingFetch() });
    const { items, pages } = await scan(stripped, { limit: 2 });
    expect(numbers(items)).toEqual([1, 2, 3, 4, 5]);
    expect(pages).toBe(3); // 2 + 2 + 1: the short third page ends the scan
    env.fake.server.resetCalls();
    env.fake.seedIssue({ title: 'Issue 6' });
    const even = await scan(stripped, { limit: 2 });
    expect(numbers(even.items)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(even.pages).toBe(4); // a full last page needs one confirming call without headers
  });

  it('reads 300 issues with limit 100 in 4 calls, no more than the original (each boundary row costs one slot)', async () => {
    env = await startEnv();
    for (let index = 1; index <= 300; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const { items } = await scan(env.connector, { limit: 100 });
    expect(new Set(numbers(items)).size).toBe(300);
    expect(items).toHaveLength(300);
    expect(env.fake.server.callCount(LIST)).toBe(4);
  });

  it('caps per_page at 100 and passes label filters', async () => {
    env = await startEnv();
    env.fake.seedIssue({ title: 'a', labels: ['bug'] });
    env.fake.seedIssue({ title: 'b', labels: ['docs'] });
    const page = await env.connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 500,
      filters: { labels: ['bug'] },
    });
    expect(page.items.map((issue) => issue.title)).toEqual(['a']);
    const asString = await env.connector.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 5,
      filters: { labels: 'docs' },
    });
    expect(asString.items.map((issue) => issue.title)).toEqual(['b']);
  });

  it('still accepts the original page-number cursors', async () => {
    env = await startEnv();
    for (let index = 1; index <= 3; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const page = await env.connector.listIssues({ updatedSince: null, cursor: '2', limit: 2 });
    expect(numbers(page.items)).toEqual([3]);
    expect(page.nextCursor).toBeNull();
    const garbage = await env.connector
      .listIssues({ updatedSince: null, cursor: 'garbage', limit: 2 })
      .catch((error: unknown) => error);
    // The one malformed-cursor error every connector raises.
    expect(MalformedCursorError.isInstance(garbage)).toBe(true);
    expect(String(garbage)).toMatch(/GitHub: malformed listIssues cursor "garbage"/);
  });
});

describe('listIssues incremental pulls', () => {
  it('sends since minus the overlap window', async () => {
    env = await startEnv({ tickMs: 30_000 });
    for (let index = 1; index <= 4; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const watermark = new Date(env.fake.issue(4)?.updatedAt ?? '');
    const exact = await scan(env.connect({ overlapSeconds: 0 }), { limit: 10, updatedSince: watermark });
    expect(numbers(exact.items)).toEqual([4]);
    const overlapped = await scan(env.connect({ overlapSeconds: 60 }), {
      limit: 10,
      updatedSince: watermark,
    });
    expect(numbers(overlapped.items)).toEqual([2, 3, 4]);
  });

  it('never misses an issue updated during a scan (keyset on updated_at, not page numbers)', async () => {
    env = await startEnv();
    for (let index = 1; index <= 6; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const mutate = (page: number) => {
      if (page === 1) {
        env?.fake.editIssue(1, (issue) => {
          issue.title = 'Issue 1 (edited mid-scan)';
        });
      }
    };
    const { items } = await scan(env.connector, { limit: 2, between: mutate });
    expect(new Set(numbers(items))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(items.at(-1)?.title).toBe('Issue 1 (edited mid-scan)');
  });

  it('shows why: the original page-number cursors lose an issue in the same situation', async () => {
    env = await startEnv();
    for (let index = 1; index <= 6; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const seen: number[] = [];
    let cursor: string | null = '1';
    let page = 0;
    while (cursor !== null) {
      const result = await env.connector.listIssues({ updatedSince: null, cursor, limit: 2 });
      page += 1;
      seen.push(...numbers(result.items));
      if (page === 1) env.fake.editIssue(1, () => {});
      cursor = result.nextCursor;
    }
    expect(seen).not.toContain(3);
  });

  it('de-duplicates rows at the page boundary, even when many share one second', async () => {
    env = await startEnv({ tickMs: 0 });
    for (let index = 1; index <= 5; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const { items, pages } = await scan(env.connector, { limit: 2 });
    expect(numbers(items).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(pages).toBeLessThanOrEqual(4);
  });

  it('de-duplicates a boundary row repeated by the inclusive since', async () => {
    env = await startEnv({ tickMs: 1000 });
    env.fake.seedIssue({ title: 'Issue 1' });
    env.fake.state.clock.tickMs = 0;
    env.fake.seedIssue({ title: 'Issue 2' });
    env.fake.state.clock.tickMs = 1000;
    env.fake.seedIssue({ title: 'Issue 3' });
    env.fake.seedIssue({ title: 'Issue 4' });
    const { items } = await scan(env.connector, { limit: 1 });
    expect(numbers(items)).toEqual([1, 2, 3, 4]);
  });

  it('answers an unchanged incremental poll with a 304 (conditional request)', async () => {
    env = await startEnv();
    for (let index = 1; index <= 3; index += 1) env.fake.seedIssue({ title: `Issue ${index}` });
    const since = new Date(env.fake.issue(2)?.updatedAt ?? '');
    const first = await scan(env.connector, { limit: 50, updatedSince: since });
    expect(numbers(first.items)).toEqual([2, 3]);
    env.fake.server.resetCalls();

    const again = await scan(env.connector, { limit: 50, updatedSince: since });
    expect(numbers(again.items)).toEqual([2, 3]);
    expect(env.fake.server.callCount(LIST)).toBe(1);
    expect(env.fake.server.calls.map((call) => call.status)).toEqual([304]);
    expect(env.fake.notModifiedCount).toBe(1);

    env.fake.editIssue(3, (issue) => {
      issue.title = 'changed';
    });
    const changed = await scan(env.connector, { limit: 50, updatedSince: since });
    expect(changed.items.map((issue) => issue.title)).toEqual(['Issue 2', 'changed']);
    expect(env.fake.server.calls.at(-1)?.status).toBe(200);
  });
});
