// A listing renders only the page it answers: a scan of N issues in pages costs the fake O(N)
// renders, not O(N²) (benchmarks list thousands of issues through it).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GitHubFake } from './github-fake';

const rendered = vi.hoisted(() => ({ issues: 0, events: 0 }));

vi.mock('./github-json', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./github-json')>();
  return {
    ...actual,
    issueJson: (...args: Parameters<typeof actual.issueJson>) => {
      rendered.issues += 1;
      return actual.issueJson(...args);
    },
    eventJson: (...args: Parameters<typeof actual.eventJson>) => {
      rendered.events += 1;
      return actual.eventJson(...args);
    },
  };
});

let fake: GitHubFake | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function list(path: string): Promise<{ numbers: number[]; link: string | null }> {
  const response = await fetch(`${fake?.url}${path}`, { headers: { authorization: 'Bearer t' } });
  const body = (await response.json()) as { number?: number; issue?: { number: number } }[];
  return {
    numbers: body.map((item) => item.number ?? item.issue?.number ?? -1),
    link: response.headers.get('link'),
  };
}

describe('GitHub fake: paged listings', () => {
  it('renders only the requested page of issues, in the requested order', async () => {
    fake = await new GitHubFake({ token: 't', owner: 'o', repo: 'r' }).start();
    for (let n = 1; n <= 250; n += 1) fake.seedIssue({ title: `Issue ${n}` });
    rendered.issues = 0;
    const page = await list('/repos/o/r/issues?state=all&sort=created&direction=asc&per_page=100&page=2');
    expect(page.numbers).toEqual(Array.from({ length: 100 }, (_, index) => 101 + index));
    expect(page.link).toContain('rel="next"');
    expect(rendered.issues).toBe(100);
    rendered.issues = 0;
    const last = await list('/repos/o/r/issues?state=all&per_page=100&page=3');
    expect(last.numbers).toEqual(Array.from({ length: 50 }, (_, index) => 50 - index));
    expect(rendered.issues).toBe(50);
  });

  it('renders only the requested page of issue events', async () => {
    fake = await new GitHubFake({ token: 't', owner: 'o', repo: 'r' }).start();
    for (let n = 1; n <= 40; n += 1) {
      const { number } = fake.seedIssue({ title: `Issue ${n}` });
      const closed = await fetch(`${fake.url}/repos/o/r/issues/${number}`, {
        method: 'PATCH',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'closed' }),
      });
      expect(closed.status).toBe(200);
    }
    rendered.events = 0;
    const page = await list('/repos/o/r/issues/events?per_page=10');
    expect(page.numbers).toHaveLength(10);
    expect(rendered.events).toBe(10);
  });
});
