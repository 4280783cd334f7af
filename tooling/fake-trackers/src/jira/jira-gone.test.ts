import { describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { JiraFake } from './jira-fake';

const AUTH = `Basic ${Buffer.from('me@example.com:tok').toString('base64')}`;
const track = useFakes();

async function post(fake: JiraFake, path: string, body: unknown) {
  const response = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('JiraFake deletions and moves', () => {
  it('bulkfetch leaves deleted issues out and answers moved ones (old key too) under their new key', async () => {
    const fake = await track(
      new JiraFake({
        email: 'me@example.com',
        apiToken: 'tok',
        projects: [
          { id: '10000', key: 'PROJ', name: 'Project' },
          { id: '10001', key: 'OTHER', name: 'Other' },
        ],
      }).start(),
    );
    const [a, b, c] = ['a', 'b', 'c'].map((summary) => fake.state.seedIssue({ summary }));
    fake.state.deleteIssue('PROJ-2');
    fake.state.moveIssue('PROJ-3', 'OTHER');
    const { status, body } = await post(fake, '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: [c?.id, 'PROJ-3', b?.id, a?.key],
      fields: ['project'],
    });
    expect(status).toBe(200);
    const issues = body.issues as { id: string; key: string; fields: { project: { key: string } } }[];
    expect(issues.map((issue) => [issue.id, issue.key, issue.fields.project.key])).toEqual([
      [a?.id, 'PROJ-1', 'PROJ'],
      [c?.id, 'OTHER-1', 'OTHER'],
    ]);
    expect(body.issueErrors).toEqual([]);
    const tooMany = await post(fake, '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: Array.from({ length: 101 }, (_, index) => String(index)),
    });
    expect(tooMany.status).toBe(400);
  });

  it("answers JQL naming an unknown project with Jira's 400, not an empty page", async () => {
    const fake = await track(new JiraFake({ email: 'me@example.com', apiToken: 'tok' }).start());
    const { status, body } = await post(fake, '/rest/api/3/search/jql', {
      jql: 'project = "NOPE"',
      maxResults: 1,
    });
    expect(status).toBe(400);
    expect(body.errorMessages).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
  });
});
