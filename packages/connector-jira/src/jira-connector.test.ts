import {
  CanonicalIssueType,
  CanonicalStatus,
  CapabilityNotSupportedError,
  ConnectorConfigError,
  createConnector,
  createIssue,
  createLink,
  createRef,
  IssueNotFoundError,
  IssuePayloadContractError,
  LinkType,
  type Logger,
} from '@spec-kitty/core';
import { PageWalkLimitError } from '@spec-kitty/core/http';
import { JiraFake, type JiraFakeOptions } from '@spec-kitty/fake-trackers/jira';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import type { JiraConnectorConfig } from './jira-config';
import { JiraConnector } from './jira-connector';
import './index';
import { VERSION } from './version';

const EMAIL = 'dev@example.com';
const TOKEN = 'secret-api-token-123';

const track = useFakes();
let fake: JiraFake | null = null;

async function setup(
  fakeOptions: JiraFakeOptions = {},
  config: Partial<JiraConnectorConfig> = {},
  logger?: Logger,
): Promise<{ fake: JiraFake; jira: JiraConnector }> {
  fake = await track(new JiraFake({ email: EMAIL, apiToken: TOKEN, ...fakeOptions }).start());
  const jira = new JiraConnector(
    {
      baseUrl: fake.url,
      email: EMAIL,
      apiToken: TOKEN,
      projectKey: 'PROJ',
      defaultIssueType: 'Task',
      statusNameMap: {},
      specKittyMissionFieldId: null,
      specKittyMissionFieldName: null,
      ...config,
    },
    logger ? { logger } : {},
  );
  return { fake, jira };
}

function localIssue(title: string, extra: Partial<Parameters<typeof createIssue>[0]> = {}) {
  return createIssue({
    ref: createRef({ system: 'local', workspace: 'repo', id: title.toLowerCase().replace(/\W+/g, '-') }),
    title,
    status: CanonicalStatus.TODO,
    issueType: CanonicalIssueType.TASK,
    ...extra,
  });
}

function endpoints(server: JiraFake): string[] {
  return server.calls.map((call) => call.endpoint);
}

describe('configuration and registration', () => {
  it('refuses blank base URL or project key with the original message', () => {
    const base = {
      email: 'e',
      apiToken: 't',
      defaultIssueType: 'Task',
      statusNameMap: {},
      specKittyMissionFieldId: null,
      specKittyMissionFieldName: null,
    };
    expect(() => new JiraConnector({ ...base, baseUrl: ' ', projectKey: 'P' })).toThrow(
      'Jira base_url and project_key are required',
    );
    expect(() => new JiraConnector({ ...base, baseUrl: 'https://x.atlassian.net', projectKey: '' })).toThrow(
      ConnectorConfigError,
    );
  });

  it('registers on import and validates config through the registry', async () => {
    const connector = createConnector('jira', {
      baseUrl: 'https://x.atlassian.net/',
      email: 'e',
      apiToken: 't',
      projectKey: 'P',
    });
    expect(connector).toBeInstanceOf(JiraConnector);
    expect((connector as JiraConnector).workspace).toBe('https://x.atlassian.net');
    expect((connector as JiraConnector).config.defaultIssueType).toBe('Task');
    expect(() =>
      createConnector('jira', {
        baseUrl: 'x',
        email: 'e',
        apiToken: 't',
        projectKey: 'P',
        statusNameMap: { nope: 'X' },
      } as never),
    ).toThrow(ConnectorConfigError);
    const caps = await connector.getCapabilities();
    expect(caps).toMatchObject({
      supportsWebhooks: true,
      supportsMultiAssignee: false,
      supportsBulkWrite: false,
      supportsAssignment: false,
    });
  });
});

describe('reads', () => {
  it('creates and reads back an issue with Markdown converted to ADF and back', async () => {
    const { fake, jira } = await setup();
    const body =
      '## Plan\n\n- step **one**\n  - nested `code`\n\n1. first\n\n```sh\nnpm test\n```\n\nSee [docs](https://d.test).';
    const created = await jira.createIssue(
      localIssue('Write docs', { body, labels: ['docs'], priority: 1, issueType: CanonicalIssueType.BUG }),
    );
    expect(created.ref).toMatchObject({
      system: 'jira',
      workspace: fake.url,
      id: '10001',
      key: 'PROJ-1',
      url: `${fake.url}/browse/PROJ-1`,
    });
    expect(created).toMatchObject({
      title: 'Write docs',
      body,
      labels: ['docs'],
      priority: 1,
      issueType: 'bug',
      status: 'todo',
    });
    const stored = fake.state.findIssue('PROJ-1');
    expect((stored?.description as { type: string } | undefined)?.type).toBe('doc');
    expect(stored?.labels.some((label) => label.startsWith('spec-kitty-create-'))).toBe(true);
    expect((await jira.getIssue(created.ref)).body).toBe(body);
  });

  it('maps getIssue 404 to IssueNotFoundError', async () => {
    const { jira, fake } = await setup();
    const error = await jira
      .getIssue(createRef({ system: 'jira', workspace: fake.url, id: '999', key: 'PROJ-999' }))
      .catch((e: unknown) => e);
    expect(IssueNotFoundError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/PROJ-999/);
  });

  it('refuses to hand back the nextPageToken its page was requested with (a pagination loop)', async () => {
    const { fake, jira } = await setup();
    fake.injectFault({
      endpoint: 'POST /rest/api/3/search/jql',
      fault: { kind: 'status', status: 200, body: { issues: [], nextPageToken: 'tok-1', isLast: false } },
    });
    const error = await jira
      .listIssues({ updatedSince: null, cursor: 'tok-1', limit: 5 })
      .catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'repeated_cursor', provider: 'jira', isRetryable: false });
  });

  it('pages /search/jql with nextPageToken and requests the fields it maps', async () => {
    const { fake, jira } = await setup();
    for (let index = 0; index < 5; index += 1) fake.state.seedIssue({ summary: `Issue ${index}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await jira.listIssues({ updatedSince: null, cursor, limit: 2 });
      seen.push(...page.items.map((issue) => issue.ref.key ?? ''));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(seen).toEqual(['PROJ-1', 'PROJ-2', 'PROJ-3', 'PROJ-4', 'PROJ-5']);
    expect(pages).toBe(3);
    expect(fake.callCount('POST /rest/api/3/search/jql')).toBe(3);
    const first = await jira.listIssues({ updatedSince: null, cursor: '0', limit: 10 });
    expect(first.items[0]).toMatchObject({
      title: 'Issue 0',
      status: 'todo',
      priority: 2,
      issueType: 'task',
    });
  });

  it('honours query_key, query_text and raw jql filters', async () => {
    const { fake, jira } = await setup();
    fake.state.seedIssue({ summary: 'alpha "quoted"' });
    fake.state.seedIssue({ summary: 'beta' });
    const byKey = await jira.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
      filters: { query_key: 'PROJ-2' },
    });
    expect(byKey.items.map((issue) => issue.title)).toEqual(['beta']);
    const byText = await jira.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
      filters: { query_text: '"quoted"' },
    });
    expect(byText.items.map((issue) => issue.title)).toEqual(['alpha "quoted"']);
    const raw = await jira.listIssues({
      updatedSince: null,
      cursor: null,
      limit: 10,
      filters: { jql: 'project = PROJ ORDER BY key DESC' },
    });
    expect(raw.items.map((issue) => issue.title)).toEqual(['beta', 'alpha "quoted"']);
  });
});

describe('paging robustness and call budget', () => {
  async function scan(
    jira: JiraConnector,
    touch: () => void,
    filters?: Record<string, unknown>,
  ): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const result = await jira.listIssues({
        updatedSince: null,
        cursor,
        limit: 2,
        ...(filters ? { filters } : {}),
      });
      seen.push(...result.items.map((issue) => issue.ref.key ?? ''));
      cursor = result.nextCursor;
      if (page === 0) touch();
      page += 1;
    } while (cursor !== null);
    return seen;
  }

  it('sees every issue once even when one is edited mid-scan (immutable sort key)', async () => {
    const { fake, jira } = await setup();
    for (let index = 0; index < 5; index += 1) fake.state.seedIssue({ summary: `Issue ${index}` });
    const seen = await scan(jira, () => fake.state.touch('PROJ-1', { summary: 'edited' }));
    expect([...seen].sort()).toEqual(['PROJ-1', 'PROJ-2', 'PROJ-3', 'PROJ-4', 'PROJ-5']);
    // Ordering by the mutable `updated` (what many integrations do) skips an issue here.
    const byUpdated = await scan(jira, () => fake.state.touch('PROJ-2', { summary: 'edited' }), {
      jql: 'project = PROJ ORDER BY updated ASC',
    });
    expect(new Set(byUpdated).size).toBeLessThan(5);
  });

  it('pulls 250 issues in 3 search calls at limit 100 and nothing else', async () => {
    const { fake, jira } = await setup();
    for (let index = 0; index < 250; index += 1) fake.state.seedIssue({ summary: `Issue ${index}` });
    let cursor: string | null = null;
    let count = 0;
    do {
      const page = await jira.listIssues({ updatedSince: null, cursor, limit: 100 });
      count += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(count).toBe(250);
    expect(fake.callsByEndpoint()).toEqual({ 'POST /rest/api/3/search/jql': 3 });
  });
});

describe('time filters in a non-UTC profile time zone', () => {
  it('finds updates the original bare-local-datetime JQL misses, without repeating older ones', async () => {
    let now = Date.UTC(2026, 0, 15, 15, 0, 0); // 10:00 in New York
    const { fake, jira } = await setup({ profileTimeZone: 'America/New_York', now: () => now });
    fake.state.seedIssue({ summary: 'before watermark' }); // 15:00:00.000Z
    now = Date.UTC(2026, 0, 15, 15, 0, 40);
    fake.state.seedIssue({ summary: 'after watermark' }); // 15:00:40Z
    const since = new Date(Date.UTC(2026, 0, 15, 15, 0, 30));

    const page = await jira.listIssues({ updatedSince: since, cursor: null, limit: 50 });
    expect(page.items.map((issue) => issue.title)).toEqual(['after watermark']);
    expect(page.items[0]?.updatedAt?.toISOString()).toBe('2026-01-15T15:00:40.000Z');

    // The original sent `updated >= "2026-01-15 15:00"` (the UTC wall clock, no zone): Jira reads
    // it as 15:00 New York = 20:00Z, and the update at 15:00:40Z is silently missed.
    const original = await fetch(`${fake.url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ jql: 'project = PROJ AND updated >= "2026-01-15 15:00"', fields: ['summary'] }),
    });
    expect(((await original.json()) as { issues: unknown[] }).issues).toEqual([]);
  });

  it('covers minute truncation with an overlap and de-duplicates the boundary client-side', async () => {
    let now = Date.UTC(2026, 5, 1, 12, 0, 59, 900);
    const { fake, jira } = await setup({ profileTimeZone: 'Asia/Kolkata', now: () => now });
    fake.state.seedIssue({ summary: 'in overlap, too old' });
    now = Date.UTC(2026, 5, 1, 12, 1, 0, 500);
    fake.state.seedIssue({ summary: 'exactly at boundary' });
    const since = new Date(Date.UTC(2026, 5, 1, 12, 1, 0, 500));
    const page = await jira.listIssues({ updatedSince: since, cursor: null, limit: 50 });
    expect(page.items.map((issue) => issue.title)).toEqual(['exactly at boundary']);
    expect(fake.calls).toHaveLength(1);
  });
});

const REVIEW_WORKFLOW: JiraFakeOptions['workflow'] = {
  statuses: [
    { id: '1', name: 'Backlog', category: 'new' },
    { id: '2', name: 'Doing', category: 'indeterminate' },
    { id: '3', name: 'Closed', category: 'done' },
  ],
  transitions: [
    { id: '5', name: 'Begin', to: 'Doing', from: ['Backlog'] },
    { id: '6', name: 'Close', to: 'Closed', from: 'any', requiredFields: ['resolution'] },
  ],
};

describe('transitions', () => {
  it('chooses by destination status and writes PUT before the transition', async () => {
    const { fake, jira } = await setup();
    const issue = await jira.createIssue(localIssue('Flow'));
    fake.resetCalls();
    const updated = await jira.updateIssue(issue.ref, {
      title: 'Flow 2',
      status: CanonicalStatus.IN_PROGRESS,
    });
    expect(updated).toMatchObject({ title: 'Flow 2', status: 'in_progress' });
    expect(endpoints(fake)).toEqual([
      'PUT /rest/api/3/issue/{issueIdOrKey}',
      'GET /rest/api/3/issue/{issueIdOrKey}',
      'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
      'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
      'GET /rest/api/3/issue/{issueIdOrKey}',
    ]);
    const review = await jira.transitionIssue(issue.ref, CanonicalStatus.IN_REVIEW);
    expect(review.status).toBe('in_review');
    const done = await jira.transitionIssue(issue.ref, CanonicalStatus.DONE);
    expect(done.status).toBe('done');
  });

  it('is a no-op (no transitions call) when the issue already has the status', async () => {
    const { fake, jira } = await setup();
    const issue = await jira.createIssue(localIssue('Same'));
    fake.resetCalls();
    await jira.transitionIssue(issue.ref, CanonicalStatus.TODO);
    expect(endpoints(fake)).toEqual(['GET /rest/api/3/issue/{issueIdOrKey}']);
  });

  it('refuses with the original message listing what is available, never POSTing a guess', async () => {
    const { fake, jira } = await setup();
    const issue = await jira.createIssue(localIssue('Blocked one'));
    const error = await jira.transitionIssue(issue.ref, CanonicalStatus.BLOCKED).catch((e: unknown) => e);
    expect(CapabilityNotSupportedError.isInstance(error)).toBe(true);
    expect((error as CapabilityNotSupportedError).capability).toBe('status');
    expect((error as Error).message).toBe(
      "No Jira transition matches status 'blocked' (resolved desired name 'blocked'); available transitions (name -> destination): ['Start Progress -> In Progress', 'Resolve Issue -> Done']",
    );
    expect(fake.callCount('POST /rest/api/3/issue/{issueIdOrKey}/transitions')).toBe(0);
  });

  it('reads the transitions for an unrecognised raw status that reads back as the target, and refuses when none leads there', async () => {
    const { fake, jira } = await setup({
      workflow: {
        statuses: [
          { id: '1', name: 'Triage', category: 'new' },
          { id: '2', name: 'Doing', category: 'indeterminate' },
          { id: '3', name: 'Closed', category: 'done' },
        ],
        transitions: [
          { id: '5', name: 'Begin', to: 'Doing', from: 'any' },
          { id: '6', name: 'Close', to: 'Closed', from: 'any' },
        ],
      },
    });
    const issue = await jira.createIssue(localIssue('Untriaged'));
    expect(issue.status).toBe('todo'); // "Triage" reads back as todo (category new)
    fake.resetCalls();
    const error = await jira.transitionIssue(issue.ref, CanonicalStatus.TODO).catch((e: unknown) => e);
    expect(CapabilityNotSupportedError.isInstance(error)).toBe(true);
    expect((error as CapabilityNotSupportedError).capability).toBe('status');
    expect((error as Error).message).toBe(
      "No Jira transition matches status 'todo' (resolved desired name 'to do'); available transitions (name -> destination): ['Begin -> Doing', 'Close -> Closed']",
    );
    expect(endpoints(fake)).toEqual([
      'GET /rest/api/3/issue/{issueIdOrKey}',
      'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
    ]);
    // A raw status that itself names the target by the name table ("Closed" → done) is already there.
    await jira.transitionIssue(issue.ref, CanonicalStatus.DONE);
    fake.resetCalls();
    await jira.transitionIssue(issue.ref, CanonicalStatus.DONE);
    expect(endpoints(fake)).toEqual(['GET /rest/api/3/issue/{issueIdOrKey}']);
  });

  it('moves an unrecognised raw status to the target through a transition', async () => {
    const { fake, jira } = await setup({
      workflow: {
        statuses: [
          { id: '1', name: 'Triage', category: 'new' },
          { id: '2', name: 'To Do', category: 'new' },
        ],
        transitions: [{ id: '7', name: 'Accept', to: 'To Do', from: ['Triage'] }],
      },
    });
    const issue = await jira.createIssue(localIssue('Accept me'));
    const moved = await jira.transitionIssue(issue.ref, CanonicalStatus.TODO);
    expect(moved.status).toBe('todo');
    expect(fake.state.findIssue('PROJ-1')?.status).toBe('To Do');
    expect(fake.callCount('POST /rest/api/3/issue/{issueIdOrKey}/transitions')).toBe(1);
  });

  it('falls back to the status category for todo / in_progress / done, and maps custom names back', async () => {
    const { fake, jira } = await setup({ workflow: REVIEW_WORKFLOW });
    const issue = await jira.createIssue(localIssue('Custom'));
    expect(issue.status).toBe('todo'); // "Backlog" (category new)
    const doing = await jira.transitionIssue(issue.ref, CanonicalStatus.IN_PROGRESS);
    expect(doing.status).toBe('in_progress'); // "Doing" by name table
    expect(fake.state.findIssue('PROJ-1')?.status).toBe('Doing');
    // With an explicit mapping, no category guessing: the mapped name must exist.
    const { jira: mapped } = await (async () => ({
      jira: new JiraConnector({ ...jira.config, statusNameMap: { in_review: 'Peer Review' } }),
    }))();
    await expect(mapped.transitionIssue(issue.ref, CanonicalStatus.IN_REVIEW)).rejects.toThrow(
      /resolved desired name 'peer review'/,
    );
  });

  it('refuses a transition whose screen requires fields, naming them, before POSTing', async () => {
    const { fake, jira } = await setup({ workflow: REVIEW_WORKFLOW });
    const issue = await jira.createIssue(localIssue('Needs resolution'));
    const error = await jira.transitionIssue(issue.ref, CanonicalStatus.DONE).catch((e: unknown) => e);
    expect((error as CapabilityNotSupportedError).capability).toBe('status');
    expect((error as Error).message).toMatch(
      /transition 'Close' \(id 6\) to 'Closed' for status 'done' requires fields .*Resolution \(resolution\)/,
    );
    expect(fake.callCount('POST /rest/api/3/issue/{issueIdOrKey}/transitions')).toBe(0);
  });

  it('lists transitions (Jira-only extra)', async () => {
    const { jira } = await setup();
    const issue = await jira.createIssue(localIssue('T'));
    expect(await jira.listTransitions(issue.ref)).toEqual([
      { id: '11', name: 'Start Progress' },
      { id: '41', name: 'Resolve Issue' },
    ]);
  });

  it('moves a new issue to the requested status after create, without a redundant read', async () => {
    const { fake, jira } = await setup();
    const created = await jira.createIssue(localIssue('Started', { status: CanonicalStatus.IN_PROGRESS }));
    expect(created.status).toBe('in_progress');
    expect(endpoints(fake)).toEqual([
      'POST /rest/api/3/issue',
      'GET /rest/api/3/issue/{issueIdOrKey}',
      'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
      'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
      'GET /rest/api/3/issue/{issueIdOrKey}',
    ]);
  });
});

describe('custom fields', () => {
  const blob = {
    mission_id: 'm-1',
    mission_state: 'active',
    decision_refs: [{ id: 'D1', title: 'Ünïcode' }],
  };

  it('persists spec_kitty_mission into a field resolved by name (ADF for textarea) and reads it back', async () => {
    const { fake, jira } = await setup(
      { customFieldIdBase: 10777 },
      { specKittyMissionFieldName: 'Spec Kitty Mission' },
    );
    const issue = await jira.createIssue(localIssue('Mission'));
    const updated = await jira.updateIssue(issue.ref, { customFields: { spec_kitty_mission: blob } });
    expect(updated.customFields.spec_kitty_mission).toEqual(blob);
    const stored = fake.state.findIssue('PROJ-1')?.custom.customfield_10777 as {
      content: { content: { text: string }[] }[];
    };
    expect(stored.content[0]?.content[0]?.text).toBe(
      '{"mission_id": "m-1", "mission_state": "active", "decision_refs": [{"id": "D1", "title": "\\u00dcn\\u00efcode"}]}',
    );
    const listed = await jira.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    expect(listed.items[0]?.customFields).toEqual({ spec_kitty_mission: blob });
    await jira.getIssue(issue.ref);
    expect(fake.callCount('GET /rest/api/3/field')).toBe(1);
  });

  it('writes a plain JSON string to a single-line text field configured by id', async () => {
    const { fake, jira } = await setup(
      { customFields: [{ name: 'Mission', type: 'textfield' }], customFieldIdBase: 10500 },
      { specKittyMissionFieldId: 'customfield_10500' },
    );
    const issue = await jira.createIssue(
      localIssue('Mission', { customFields: { spec_kitty_mission: { mission_id: 'x' } } }),
    );
    expect(fake.state.findIssue('PROJ-1')?.custom.customfield_10500).toBe('{"mission_id": "x"}');
    expect(issue.customFields).toEqual({ spec_kitty_mission: { mission_id: 'x' } });
  });

  it('fails clearly when the named field does not exist, and warns when no field is configured', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (message) => warnings.push(message) };
    const { jira } = await setup({}, { specKittyMissionFieldName: 'Nope' });
    await expect(jira.listIssues({ updatedSince: null, cursor: null, limit: 1 })).rejects.toThrow(
      /Jira field named 'Nope' was not found/,
    );
    await fake?.close();
    fake = null;
    const plain = await setup({}, {}, logger);
    const issue = await plain.jira.createIssue(localIssue('No field'));
    await plain.jira.updateIssue(issue.ref, { customFields: { spec_kitty_mission: {} } });
    expect(warnings).toEqual([
      'Jira custom field persistence skipped: spec_kitty_mission_field_id not configured',
    ]);
  });
});

describe('links, comments, patches', () => {
  it('upserts links with the right direction and reads them back', async () => {
    const { jira } = await setup();
    const a = await jira.createIssue(localIssue('A'));
    const b = await jira.createIssue(localIssue('B'));
    const c = await jira.createIssue(localIssue('C'));
    await jira.upsertLink(a.ref, createLink({ type: LinkType.BLOCKS, target: b.ref }));
    await jira.upsertLink(a.ref, createLink({ type: LinkType.BLOCKED_BY, target: c.ref }));
    const readA = await jira.getIssue(a.ref);
    // Links read back in canonical order (by type, then target id).
    expect(readA.links.map((link) => [link.type, link.target.key])).toEqual([
      ['blocked_by', 'PROJ-3'],
      ['blocks', 'PROJ-2'],
    ]);
    expect((await jira.getIssue(b.ref)).links.map((link) => [link.type, link.target.key])).toEqual([
      ['blocked_by', 'PROJ-1'],
    ]);
  });

  it('adds comments as ADF', async () => {
    const { fake, jira } = await setup();
    const issue = await jira.createIssue(localIssue('Commented'));
    await jira.addComment(issue.ref, 'Hello **there**\n\n- a\n- b');
    const comment = fake.state.findIssue('PROJ-1')?.comments[0]?.body as {
      type: string;
      content: { type: string }[];
    };
    expect(comment.type).toBe('doc');
    expect(comment.content.map((node) => node.type)).toEqual(['paragraph', 'bulletList']);
    await expect(jira.addComment(issue.ref, '')).rejects.toThrow(ConnectorConfigError);
  });

  it('rejects unknown patch keys (PK-001) before any request; clears the description with null', async () => {
    const { fake, jira } = await setup();
    const issue = await jira.createIssue(localIssue('Patch', { body: 'text' }));
    fake.resetCalls();
    const error = await jira.updateIssue(issue.ref, { bogus: 1 } as never).catch((e: unknown) => e);
    expect(IssuePayloadContractError.isInstance(error)).toBe(true);
    expect(fake.calls).toHaveLength(0);
    expect((await jira.updateIssue(issue.ref, { body: null })).body).toBeNull();
  });
});

describe('idempotent create', () => {
  it('finds an issue whose create response was lost, so a retry leaves no duplicate', async () => {
    const { fake, jira } = await setup();
    const issue = localIssue('Lost response', { labels: ['x'] });
    fake.injectFault({ endpoint: 'POST /rest/api/3/issue', fault: { kind: 'crash-after-write' } });
    await expect(jira.createIssue(issue, { idempotencyKey: 'sync:local:repo:lost' })).rejects.toThrow();
    expect(fake.state.issues.size).toBe(1);
    const found = await jira.findCreatedIssue(issue, { idempotencyKey: 'sync:local:repo:lost' });
    expect(found).toMatchObject({ title: 'Lost response', labels: ['x'] });
    expect(await jira.findCreatedIssue(issue, { idempotencyKey: 'sync:other' })).toBeNull();
    expect(fake.state.issues.size).toBe(1);
  });
});

describe('eventually consistent search', () => {
  it('findCreatedIssue sees a new issue once the search index has caught up', async () => {
    let now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const { jira } = await setup({ searchLagMs: 5_000, now: () => now });
    const issue = localIssue('Lagging');
    const created = await jira.createIssue(issue, { idempotencyKey: 'k-1' });
    expect(created.title).toBe('Lagging'); // read back by id: strongly consistent
    expect(await jira.findCreatedIssue(issue, { idempotencyKey: 'k-1' })).toBeNull();
    now += 5_000;
    expect((await jira.findCreatedIssue(issue, { idempotencyKey: 'k-1' }))?.ref.key).toBe('PROJ-1');
  });
});

describe('errors and secrets', () => {
  it('never puts the API token in error messages', async () => {
    const { fake, jira } = await setup();
    fake.injectFault({ fault: { kind: 'status', status: 401, body: { errorMessages: ['nope'] } } });
    const error = await jira
      .listIssues({ updatedSince: null, cursor: null, limit: 1 })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/401/);
    expect(String(error)).not.toContain(TOKEN);
    expect(String(error)).not.toContain(Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'));
  });

  it('maps 429 with Retry-After to a retryable rate_limit failure', async () => {
    const { fake, jira } = await setup();
    fake.injectFault({
      times: 10,
      fault: { kind: 'status', status: 429, headers: { 'retry-after': '120' } },
    });
    const error = (await jira.createIssue(localIssue('Limited')).catch((e: unknown) => e)) as {
      failureClass: string;
      retryAfterSeconds: number;
    };
    expect(error.failureClass).toBe('rate_limit');
    expect(error.retryAfterSeconds).toBe(120);
  });
});

describe('User-Agent', () => {
  it('names the package and version on every request', async () => {
    fake = await track(new JiraFake({ email: EMAIL, apiToken: TOKEN }).start());
    const agents: (string | null)[] = [];
    const recording: typeof fetch = (input, init) => {
      const headers = new Headers(input instanceof Request ? input.headers : undefined);
      new Headers(init?.headers).forEach((value, name) => {
        headers.set(name, value);
      });
      agents.push(headers.get('user-agent'));
      return fetch(input, init);
    };
    const jira = new JiraConnector(
      {
        baseUrl: fake.url,
        email: EMAIL,
        apiToken: TOKEN,
        projectKey: 'PROJ',
        defaultIssueType: 'Task',
        statusNameMap: {},
        specKittyMissionFieldId: null,
        specKittyMissionFieldName: null,
      },
      { fetch: recording },
    );
    const created = await jira.createIssue(localIssue('UA'), { idempotencyKey: 'ua' });
    await jira.getIssue(created.ref);
    await jira.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    await jira.addComment(created.ref, 'hi');
    expect(agents.length).toBeGreaterThanOrEqual(4);
    expect(new Set(agents)).toEqual(new Set([`spec-kitty-tracker/@spec-kitty/connector-jira@${VERSION}`]));
  });
});
