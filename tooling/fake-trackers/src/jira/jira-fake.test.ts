import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useFakes } from '../testing/use-fakes';
import { JiraFake, selectJiraValidator } from './jira-fake';
import { parseJql } from './jira-jql';
import { JiraJsSchemaValidator } from './jira-js-schemas';
import { JiraSpecValidator } from './jira-spec';
import type { JiraSpecSource } from './jira-state';
import { formatJiraTimestamp, wallClockToEpoch } from './jira-time';

const AUTH = `Basic ${Buffer.from('me@example.com:tok').toString('base64')}`;
const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON in assertions
type Json = Record<string, any>;

let fake: JiraFake | null = null;
let specSource: JiraSpecSource = 'auto';
const track = useFakes();
afterEach(() => {
  fake = null;
});

async function start(options: ConstructorParameters<typeof JiraFake>[0] = {}): Promise<JiraFake> {
  fake = await track(
    new JiraFake({ email: 'me@example.com', apiToken: 'tok', specSource, ...options }).start(),
  );
  return fake;
}

async function call(method: string, path: string, body?: unknown, auth = AUTH) {
  const response = await fetch(`${fake?.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Json) : null,
  };
}

describe('JQL parser', () => {
  it('parses clauses, boolean operators and ORDER BY', () => {
    const query = parseJql(
      'project = PROJ AND (text ~ "a \\"b\\"" OR key in (X-1, "X-2")) ORDER BY updated ASC, key DESC',
    );
    expect(query.orderBy).toEqual([
      { field: 'updated', direction: 'ASC' },
      { field: 'key', direction: 'DESC' },
    ]);
    expect(query.where).toMatchObject({ kind: 'and' });
    expect(JSON.stringify(query.where)).toContain('a \\"b\\"');
  });

  it('rejects malformed queries', () => {
    expect(() => parseJql('project = ')).toThrow(/Expecting/);
    expect(() => parseJql('project = "x')).toThrow(/unterminated/);
  });
});

describe('time zone helpers', () => {
  it('reads wall-clock datetimes in the profile zone', () => {
    expect(new Date(wallClockToEpoch('America/New_York', 2026, 1, 15, 10, 0)).toISOString()).toBe(
      '2026-01-15T15:00:00.000Z',
    );
    expect(new Date(wallClockToEpoch('Asia/Kolkata', 2026, 7, 1, 0, 0)).toISOString()).toBe(
      '2026-06-30T18:30:00.000Z',
    );
    expect(formatJiraTimestamp(Date.UTC(2026, 0, 15, 15, 0), 'America/New_York')).toBe(
      '2026-01-15T10:00:00.000-0500',
    );
  });
});

// Every flow runs against the official swagger when present (auto) and against the jira.js
// fallback, so the fallback is exercised in CI even though CI has the shared spec.
describe.each(['auto', 'jira.js'] as const)('JiraFake (specSource %s)', (source) => {
  beforeAll(() => {
    specSource = source;
  });
  it('checks Basic auth', async () => {
    await start();
    expect((await call('GET', '/rest/api/3/field', undefined, 'Basic bad')).status).toBe(401);
    expect((await call('GET', '/rest/api/3/field')).status).toBe(200);
  });

  it('creates, reads, updates issues and rejects plain-string descriptions', async () => {
    await start();
    const created = await call('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'PROJ' },
        summary: 'One',
        issuetype: { name: 'Task' },
        description: adf('hello'),
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: '10001', key: 'PROJ-1' });
    const bad = await call('PUT', '/rest/api/3/issue/PROJ-1', { fields: { description: 'plain' } });
    expect(bad.status).toBe(400);
    expect(bad.body?.errors.description).toMatch(/Atlassian Document/);
    expect((await call('PUT', '/rest/api/3/issue/PROJ-1', { fields: { labels: ['a b'] } })).status).toBe(400);
    expect(
      (await call('PUT', '/rest/api/3/issue/PROJ-1', { fields: { status: { name: 'Done' } } })).status,
    ).toBe(400);
    expect((await call('PUT', '/rest/api/3/issue/PROJ-1', { fields: { summary: 'Renamed' } })).status).toBe(
      204,
    );
    const read = await call('GET', '/rest/api/3/issue/PROJ-1?fields=summary,status');
    expect(read.body?.fields.summary).toBe('Renamed');
    expect(read.body?.fields.status.statusCategory.key).toBe('new');
    expect(read.body?.fields.description).toBeUndefined();
    expect((await call('GET', '/rest/api/3/issue/PROJ-99')).status).toBe(404);
    fake?.assertNoViolations();
  });

  it('pages search results with nextPageToken and defaults to id-only fields', async () => {
    await start();
    for (let index = 0; index < 5; index += 1) fake?.state.seedIssue({ summary: `Issue ${index}` });
    const first = await call(
      'GET',
      '/rest/api/3/search/jql?jql=project%20%3D%20PROJ%20ORDER%20BY%20key%20ASC&maxResults=2',
    );
    expect(first.body?.issues.map((issue: { key: string }) => issue.key)).toEqual(['PROJ-1', 'PROJ-2']);
    expect(first.body?.issues[0].fields).toEqual({});
    expect(first.body?.isLast).toBe(false);
    const second = await call('POST', '/rest/api/3/search/jql', {
      jql: 'project = PROJ ORDER BY key ASC',
      maxResults: 2,
      fields: ['summary'],
      nextPageToken: first.body?.nextPageToken,
    });
    expect(second.body?.issues.map((issue: { fields: { summary: string } }) => issue.fields.summary)).toEqual(
      ['Issue 2', 'Issue 3'],
    );
    const wrongToken = await call('POST', '/rest/api/3/search/jql', {
      jql: 'project = X',
      nextPageToken: first.body?.nextPageToken,
    });
    expect(wrongToken.status).toBe(400);
    expect((await call('GET', '/rest/api/3/search/jql?jql=ORDER%20BY%20key')).status).toBe(400);
    expect((await call('GET', '/rest/api/3/search/jql?jql=nope%20%3D%201')).body?.errorMessages[0]).toMatch(
      /does not exist/,
    );
    fake?.assertNoViolations();
  });

  it('interprets bare JQL datetimes in the profile time zone and epoch ms exactly', async () => {
    let now = Date.UTC(2026, 0, 15, 15, 30); // 10:30 in New York
    await start({ profileTimeZone: 'America/New_York', now: () => now });
    fake?.state.seedIssue({ summary: 'early' });
    now = Date.UTC(2026, 0, 15, 16, 0);
    fake?.state.seedIssue({ summary: 'late' });
    const search = async (clause: string) =>
      (
        await call('POST', '/rest/api/3/search/jql', {
          jql: `project = PROJ AND ${clause}`,
          fields: ['summary'],
        })
      ).body?.issues.map((issue: { fields: { summary: string } }) => issue.fields.summary);
    // "15:45" bare = 15:45 New York = 20:45 UTC: nothing is that late.
    expect(await search('updated >= "2026-01-15 15:45"')).toEqual([]);
    expect(await search('updated >= "2026-01-15 10:45"')).toEqual(['late']);
    expect(await search(`updated >= ${Date.UTC(2026, 0, 15, 15, 30)}`)).toEqual(['late', 'early']);
    const read = await call('GET', '/rest/api/3/issue/PROJ-1?fields=updated');
    expect(read.body?.fields.updated).toBe('2026-01-15T10:30:00.000-0500');
  });

  it('offers transitions by current status and enforces required transition fields', async () => {
    await start({
      workflow: {
        statuses: [
          { id: '1', name: 'To Do', category: 'new' },
          { id: '3', name: 'Done', category: 'done' },
        ],
        transitions: [
          { id: '41', name: 'Close', to: 'Done', from: ['To Do'], requiredFields: ['resolution'] },
        ],
      },
    });
    fake?.state.seedIssue({ summary: 'x' });
    const list = await call('GET', '/rest/api/3/issue/PROJ-1/transitions?expand=transitions.fields');
    expect(list.body?.transitions[0]).toMatchObject({
      id: '41',
      to: { name: 'Done' },
      fields: { resolution: { required: true } },
    });
    const missing = await call('POST', '/rest/api/3/issue/PROJ-1/transitions', { transition: { id: '41' } });
    expect(missing.status).toBe(400);
    expect(missing.body?.errors.resolution).toMatch(/required/);
    const done = await call('POST', '/rest/api/3/issue/PROJ-1/transitions', {
      transition: { id: '41' },
      fields: { resolution: { name: 'Done' } },
    });
    expect(done.status).toBe(204);
    expect((await call('GET', '/rest/api/3/issue/PROJ-1/transitions')).body?.transitions).toEqual([]);
    const invalid = await call('POST', '/rest/api/3/issue/PROJ-1/transitions', { transition: { id: '41' } });
    expect(invalid.body?.errorMessages[0]).toMatch(/not valid for this issue/);
    fake?.assertNoViolations();
  });

  it('stores ADF comments, links, properties and per-instance custom fields', async () => {
    await start({ customFieldIdBase: 12345 });
    fake?.state.seedIssue({ summary: 'a' });
    fake?.state.seedIssue({ summary: 'b' });
    expect((await call('POST', '/rest/api/3/issue/PROJ-1/comment', { body: 'plain' })).status).toBe(400);
    expect((await call('POST', '/rest/api/3/issue/PROJ-1/comment', { body: adf('hi') })).status).toBe(201);
    expect(
      (
        await call('POST', '/rest/api/3/issueLink', {
          type: { name: 'Blocks' },
          inwardIssue: { key: 'PROJ-1' },
          outwardIssue: { key: 'PROJ-2' },
        })
      ).status,
    ).toBe(201);
    const links = (await call('GET', '/rest/api/3/issue/PROJ-2?fields=issuelinks')).body?.fields.issuelinks;
    expect(links[0]).toMatchObject({ type: { name: 'Blocks' }, inwardIssue: { key: 'PROJ-1' } });
    const fields = (await call('GET', '/rest/api/3/field')).body as unknown as { id: string; name: string }[];
    expect(fields.find((field) => field.name === 'Spec Kitty Mission')?.id).toBe('customfield_12345');
    expect(
      (await call('PUT', '/rest/api/3/issue/PROJ-1', { fields: { customfield_12345: '{"a":1}' } })).status,
    ).toBe(400);
    expect(
      (await call('PUT', '/rest/api/3/issue/PROJ-1', { fields: { customfield_12345: adf('{"a":1}') } }))
        .status,
    ).toBe(204);
    expect(
      (await call('PUT', '/rest/api/3/issue/PROJ-1/properties/spec-kitty', { marker: 'm1' })).status,
    ).toBe(201);
    const found = await call('POST', '/rest/api/3/search/jql', {
      jql: 'project = PROJ AND issue.property[spec-kitty].marker = "m1"',
    });
    expect(found.body?.issues.map((issue: { id: string }) => issue.id)).toEqual(['10001']);
    fake?.assertNoViolations();
  });

  it('pages project search and lists accessible resources; serves the /ex/jira/{cloudId} base', async () => {
    await start({ oauthToken: 'oauth', extraProjectCount: 60 });
    const page = await call('GET', '/rest/api/3/project/search?startAt=50&maxResults=50');
    expect(page.body).toMatchObject({ startAt: 50, total: 61, isLast: true });
    expect(page.body?.values).toHaveLength(11);
    const sites = await call('GET', '/oauth/token/accessible-resources', undefined, 'Bearer oauth');
    expect(sites.body).toEqual([
      expect.objectContaining({ id: 'cloud-1', url: 'https://mysite.atlassian.net' }),
    ]);
    expect((await call('GET', '/ex/jira/cloud-1/rest/api/3/field', undefined, 'Bearer oauth')).status).toBe(
      200,
    );
    expect((await call('GET', '/ex/jira/other/rest/api/3/field', undefined, 'Bearer oauth')).status).toBe(
      404,
    );
    fake?.assertNoViolations();
  });

  it.runIf(JiraFake.specAvailable())('rejects requests that break the official spec', async () => {
    await start({ specSource: 'swagger' });
    const response = await call('GET', '/rest/api/3/search/jql?jql=project%3DPROJ&maxResults=abc');
    expect(response.status).toBe(400);
    expect(() => fake?.assertNoViolations()).toThrow(/maxResults must be integer/);
    const transition = await call('POST', '/rest/api/3/issue/PROJ-1/transitions', { transition: '31' });
    expect(transition.status).toBe(400);
    expect(() => fake?.assertNoViolations()).toThrow(/transition/);
  });
});

describe.runIf(JiraSpecValidator.load() !== null)('JiraSpecValidator', () => {
  it('flags responses that break the documented schema or status', () => {
    const validator = JiraSpecValidator.load()!;
    expect(
      validator.validateResponse('POST', '/rest/api/3/search/jql', { status: 200, body: { issues: 'x' } }),
    ).toEqual([expect.stringMatching(/response\/issues must be array/)]);
    expect(validator.validateResponse('POST', '/rest/api/3/issue', { status: 200, body: {} })).toEqual([
      'status 200 is not a documented response of POST /rest/api/3/issue',
    ]);
    expect(
      validator.validateResponse('POST', '/rest/api/3/issue', {
        status: 201,
        body: { id: '1', key: 'P-1', bogus: 1 },
      }),
    ).toEqual([expect.stringMatching(/must NOT have additional properties/)]);
  });
});

describe('jira.js schema fallback', () => {
  it('is selected when forced, and by auto only without the shared spec', async () => {
    expect(selectJiraValidator('jira.js').source).toBe('jira.js');
    expect(selectJiraValidator('auto').source).toBe(JiraFake.specAvailable() ? 'swagger' : 'jira.js');
    expect((await start({ specSource: 'jira.js' })).specSource).toBe('jira.js');
  });

  it('validates a whole flow through the fake without violations', async () => {
    await start({ specSource: 'jira.js' });
    const created = await call('POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PROJ' }, summary: 'Fallback', issuetype: { name: 'Task' }, labels: ['a'] },
    });
    expect(created.status).toBe(201);
    const key = created.body?.key as string;
    fake?.state.seedIssue({ summary: 'other' });
    expect((await call('GET', `/rest/api/3/issue/${key}`)).status).toBe(200);
    expect((await call('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'Renamed' } })).status).toBe(
      204,
    );
    const search = await call('POST', '/rest/api/3/search/jql', {
      jql: 'project = PROJ',
      fields: ['summary'],
    });
    expect(search.body?.issues.length).toBeGreaterThan(0);
    expect((await call('GET', `/rest/api/3/search/jql?jql=project%3DPROJ`)).status).toBe(200);
    expect((await call('GET', `/rest/api/3/issue/${key}/transitions`)).status).toBe(200);
    expect(
      (await call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } })).status,
    ).toBe(204);
    expect((await call('POST', `/rest/api/3/issue/${key}/comment`, { body: adf('hi') })).status).toBe(201);
    expect((await call('GET', `/rest/api/3/issue/${key}/comment`)).status).toBe(200);
    expect((await call('PUT', `/rest/api/3/issue/${key}/properties/p`, { a: 1 })).status).toBe(201);
    expect((await call('GET', `/rest/api/3/issue/${key}/properties/p`)).status).toBe(200);
    expect(
      (
        await call('POST', '/rest/api/3/issueLink', {
          type: { name: 'Blocks' },
          inwardIssue: { key },
          outwardIssue: { key: 'PROJ-2' },
        })
      ).status,
    ).toBe(201);
    expect((await call('GET', '/rest/api/3/field')).status).toBe(200);
    expect((await call('GET', '/rest/api/3/project/search')).status).toBe(200);
    fake?.assertNoViolations();
  });

  it('rejects and records a request body that breaks the jira.js schema', async () => {
    await start({ specSource: 'jira.js' });
    const response = await call('POST', '/rest/api/3/issue', { fields: 'oops' });
    expect(response.status).toBe(400);
    expect(fake?.violations).toEqual([
      expect.stringMatching(/POST \/rest\/api\/3\/issue: body\/fields .*record/),
    ]);
    expect(() => fake?.assertNoViolations()).toThrow(/body\/fields/);
  });

  it('records a response that breaks the jira.js schema', async () => {
    await start({ specSource: 'jira.js' });
    // Corrupt the fake's own state so its handler renders a malformed field list.
    fake?.state.customFields.push({ id: 'customfield_1', name: 42 as unknown as string, type: 'textfield' });
    expect((await call('GET', '/rest/api/3/field')).status).toBe(200);
    expect(fake?.violations).toContainEqual(
      expect.stringMatching(/response to GET \/rest\/api\/3\/field: response\/\d+\/name .*string/),
    );
    expect(() => fake?.assertNoViolations()).toThrow(/response\/\d+\/name/);
  });

  it('flags malformed response bodies per operation', () => {
    const validator = JiraJsSchemaValidator.load();
    expect(
      validator.validateResponse('POST', '/rest/api/3/search/jql', { status: 200, body: { issues: 'x' } }),
    ).toEqual([expect.stringMatching(/^response\/issues .*array/)]);
    expect(
      validator.validateResponse('POST', '/rest/api/3/search/jql', { status: 200, body: { issues: [] } }),
    ).toEqual([]);
    expect(
      validator.validateResponse('POST', '/rest/api/3/issue', { status: 201, body: { id: 1 } }),
    ).toContainEqual(expect.stringMatching(/^response\/id .*string/));
    expect(
      validator.validateResponse('POST', '/rest/api/3/issue', {
        status: 201,
        body: { id: '1', key: 'P-1', self: 'u' },
      }),
    ).toEqual([]);
  });
});
