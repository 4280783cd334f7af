import { describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { GitHubFake } from './github-fake';

const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
const track = useFakes();

describe('GitHubFake deletions and transfers', () => {
  it('answers 410 for a deleted issue and redirects a transferred one (validated against the OpenAPI)', async () => {
    const fake = await track(new GitHubFake({ repos: [{ owner: 'octocat', name: 'elsewhere' }] }).start());
    fake.seedIssue({ title: 'deleted' });
    fake.seedIssue({ title: 'moved' });
    fake.deleteIssue(1);
    const moved = fake.transferIssue(2, { owner: 'octocat', repo: 'elsewhere' });
    const base = `${fake.url}/repos/octocat/hello-world/issues`;
    const gone = await fetch(`${base}/1`, { headers: HEADERS });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ message: 'This issue was deleted' });
    const redirect = await fetch(`${base}/2`, { headers: HEADERS, redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toMatch(/\/repos\/octocat\/elsewhere\/issues\/1$/);
    const followed = await fetch(`${base}/2`, { headers: HEADERS });
    expect(await followed.json()).toMatchObject({ number: moved.number, title: 'moved' });
    const write = await fetch(`${base}/2`, {
      method: 'PATCH',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x' }),
      redirect: 'manual',
    });
    expect(write.status).toBe(307);
    const listed = await (await fetch(`${base}?state=all`, { headers: HEADERS })).json();
    expect(listed).toEqual([]);
  });
});
