import { draftIssue } from '@spec-kitty/connector-testkit';
import {
  CanonicalIssueType,
  CanonicalStatus,
  ConnectorConfigError,
  ConnectorRequestError,
  createConnector,
  createHostedConnector,
  createLink,
  createNangoConnectionContext,
  createRef,
  discoverResources,
  discoverWorkspaces,
  getConnectorDefinition,
  IssueNotFoundError,
  LinkType,
} from '@spec-kitty/core';
import { createHttpClient, MalformedCursorError, PageWalkLimitError } from '@spec-kitty/core/http';
import { AzureDevOpsFake, type AzureFakeOptions } from '@spec-kitty/fake-trackers/azure';
import { FakeNangoProxy } from '@spec-kitty/fake-trackers/nango';
import { afterEach, describe, expect, it } from 'vitest';
import { AzureDevOpsConnector } from './azure-connector';
import { discoverAzureProjects, discoverAzureWorkspaces } from './azure-discovery';
import './index';
import { VERSION } from './version';

let fake: AzureDevOpsFake | null = null;
afterEach(async () => {
  if (fake) {
    const violations = [...fake.violations];
    await fake.close();
    fake = null;
    expect(violations).toEqual([]);
  }
});

const PAT = 'ado-pat-secret';

async function setup(options: AzureFakeOptions = {}, statusMap: Record<string, string> = {}) {
  fake = await new AzureDevOpsFake({ personalAccessToken: PAT, ...options }).start();
  fake.state.addProject('Web');
  const connector = createConnector('azure_devops', {
    organization: 'fabrikam',
    project: 'Web',
    personalAccessToken: PAT,
    baseUrl: fake.url,
    statusMap,
  }) as AzureDevOpsConnector;
  return { ado: fake, connector };
}

const ref = (id: number | string) =>
  createRef({ system: 'azure_devops', workspace: 'fabrikam/Web', id: String(id) });

async function drain(
  connector: AzureDevOpsConnector,
  limit: number,
  updatedSince: Date | null = null,
  between?: (page: number, cursor: string | null) => void,
) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await connector.listIssues({ updatedSince, cursor, limit });
    pages += 1;
    seen.push(...page.items.map((issue) => issue.ref.id));
    cursor = page.nextCursor;
    between?.(pages, cursor);
  } while (cursor !== null && pages < 500);
  return { seen, pages };
}

describe('Azure DevOps definition', () => {
  it('the constructor takes the config input and validates it with the schema', () => {
    const connector = new AzureDevOpsConnector({
      organization: ' o ',
      project: 'p',
      personalAccessToken: 'x',
    });
    expect(connector.workspace).toBe('o/p');
    expect(
      () =>
        new AzureDevOpsConnector({
          organization: 'o',
          project: 'p',
          personalAccessToken: 'x',
          org: 1,
        } as never),
    ).toThrow(/Invalid config for connector "azure_devops"/);
    expect(
      () =>
        new AzureDevOpsConnector({ organization: 'o', project: 'p', personalAccessToken: 'x', maxPages: 0 }),
    ).toThrow(/maxPages: maxPages must be >= 1/);
  });

  it('registers on import, keeps the original config message and is not hosted', () => {
    const definition = getConnectorDefinition('azure_devops');
    expect(definition.packageName).toBe('@spec-kitty/connector-azure');
    expect(definition.mode).toBe('direct');
    expect(definition.hosted).toBeUndefined();
    expect(() =>
      createConnector('azure_devops', { organization: '', project: 'p', personalAccessToken: 'x' }),
    ).toThrow(/Azure organization and project are required/);
    expect(
      () =>
        new AzureDevOpsConnector({
          organization: 'o',
          project: ' ',
          personalAccessToken: '',
          baseUrl: '',
          statusMap: {},
        }),
    ).toThrow(ConnectorConfigError);
    expect(() =>
      createConnector('azure_devops', {
        organization: 'o',
        project: 'p',
        personalAccessToken: 'x',
        statusMap: { review: 'x' } as never,
      }),
    ).toThrow(ConnectorConfigError);
  });

  it('is not a hosted provider: core rejects it like the original', () => {
    const nangoContext = createNangoConnectionContext({
      connectionId: 'c',
      providerConfigKey: 'k',
      nangoSecretKey: 's',
    });
    expect(() => createHostedConnector({ provider: 'azure_devops', nangoContext, params: {} })).toThrow(
      "Unsupported hosted provider: 'azure_devops'",
    );
  });

  it('supports comments, terminal transitions and (single) assignment', async () => {
    const { connector } = await setup();
    const caps = await connector.getCapabilities();
    expect(caps).toMatchObject({
      supportsComments: true,
      supportsTerminalTransition: true,
      supportsAssignment: true,
      supportsMultiAssignee: false,
      supportsHierarchy: true,
    });
  });
});

describe('AzureDevOpsConnector against the fake', () => {
  it('writes System.AssignedTo (one assignee, by unique name), reads it back, and unassigns', async () => {
    const { ado, connector } = await setup();
    ado.state.addIdentity('Alice Smith', 'alice@fabrikam.test');
    ado.state.addIdentity('Bob Jones', 'bob@fabrikam.test');
    const created = await connector.createIssue(
      draftIssue({ title: 'Assigned', assignees: ['bob@fabrikam.test', 'alice@fabrikam.test'] }),
    );
    // One assignee: the first in code-unit order, whatever order the list has.
    expect(created.assignees).toEqual(['alice@fabrikam.test']);
    const stored = ado.state.workItems.get(Number(created.ref.id))!;
    expect(stored.fields['System.AssignedTo']).toMatchObject({ displayName: 'Alice Smith' });
    // The projection models the same pick, so a sync does not write it again.
    const sent = draftIssue({ title: 'x', assignees: ['bob@fabrikam.test', 'alice@fabrikam.test'] });
    expect(connector.projectIssue(sent).assignees).toEqual(created.assignees);

    const moved = await connector.updateIssue(created.ref, { assignees: ['bob@fabrikam.test'] });
    expect(moved.assignees).toEqual(['bob@fabrikam.test']);
    expect((await connector.getIssue(created.ref)).assignees).toEqual(['bob@fabrikam.test']);
    const cleared = await connector.updateIssue(created.ref, { assignees: [] });
    expect(cleared.assignees).toEqual([]);
    expect(ado.state.workItems.get(Number(created.ref.id))?.fields['System.AssignedTo']).toBeUndefined();

    // An identity the organization does not know is the service's validation error.
    await expect(connector.updateIssue(created.ref, { assignees: ['nobody@fabrikam.test'] })).rejects.toThrow(
      /unknown identity/,
    );
  });

  it('creates with $Type and JSON Patch, maps fields, clamps priority to 1..4 and moves the initial state', async () => {
    const { ado, connector } = await setup();
    const created = await connector.createIssue(
      draftIssue({
        title: 'Checkout',
        body: 'Do it',
        priority: 0,
        labels: ['web', 'pay'],
        issueType: CanonicalIssueType.STORY,
        status: CanonicalStatus.IN_PROGRESS,
      }),
    );
    expect(created.ref).toMatchObject({
      system: 'azure_devops',
      workspace: 'fabrikam/Web',
      id: '1',
      key: '1',
    });
    expect(created).toMatchObject({
      title: 'Checkout',
      body: 'Do it',
      priority: 1,
      labels: ['web', 'pay'],
      issueType: 'story',
      status: 'in_progress',
    });
    const stored = ado.state.workItems.get(1);
    expect(stored?.fields).toMatchObject({
      'System.WorkItemType': 'User Story',
      'System.State': 'Active',
      'System.Tags': 'web; pay',
      'Microsoft.VSTS.Common.Priority': 1,
    });
    expect(ado.callCount('POST workitem')).toBe(1);
    expect(ado.callCount('PATCH workitem')).toBe(1);
    const plain = await connector.createIssue(draftIssue({ title: 'Plain' }));
    expect(plain.status).toBe('todo');
    expect(ado.callCount('PATCH workitem')).toBe(1);
  });

  it('round-trips in_review (Resolved) and honours statusMap; invalid states fail with a validation error', async () => {
    const { ado, connector } = await setup();
    const story = await connector.createIssue(
      draftIssue({ title: 'Story', issueType: CanonicalIssueType.STORY }),
    );
    expect((await connector.transitionIssue(story.ref, CanonicalStatus.IN_REVIEW)).status).toBe('in_review');
    expect((await connector.transitionIssue(story.ref, CanonicalStatus.DONE)).status).toBe('done');
    const task = await connector.createIssue(draftIssue({ title: 'Task' }));
    const error = await connector
      .transitionIssue(task.ref, CanonicalStatus.IN_REVIEW)
      .catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect((error as ConnectorRequestError).failureClass).toBe('validation');
    expect(String(error)).toContain('TF401320');
    await ado.close();
    fake = null;

    const custom = await setup(
      { workItemStates: { Task: ['To Do', 'Doing', 'Code Review', 'Done'] } },
      { todo: 'To Do', in_progress: 'Doing', in_review: 'Code Review', done: 'Done' },
    );
    const item = await custom.connector.createIssue(draftIssue({ title: 'Custom' }));
    expect(item.status).toBe('todo');
    expect((await custom.connector.transitionIssue(item.ref, CanonicalStatus.IN_REVIEW)).status).toBe(
      'in_review',
    );
    expect(
      custom.ado.state.workItems.get(item.ref.id === '1' ? 1 : Number(item.ref.id))?.fields['System.State'],
    ).toBe('Code Review');
    expect((await custom.connector.transitionIssue(item.ref, CanonicalStatus.DONE)).status).toBe('done');
  });

  it('guards writes with test /rev: a concurrent edit is a validation error, never a silent overwrite', async () => {
    for (const status of [412, 409] as const) {
      const { ado, connector } = await setup({ testFailureStatus: status });
      ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'Original' });
      await connector.getIssue(ref(1));
      ado.state.touchWorkItem(1, { 'System.Title': 'Changed elsewhere' });
      const error = await connector.updateIssue(ref(1), { title: 'Mine' }).catch((caught: unknown) => caught);
      expect(ConnectorRequestError.isInstance(error)).toBe(true);
      expect((error as ConnectorRequestError).failureClass).toBe('validation');
      expect((error as ConnectorRequestError).statusCode).toBe(status);
      expect(String(error)).toMatch(/changed concurrently/);
      expect(ado.state.workItems.get(1)?.fields['System.Title']).toBe('Changed elsewhere');
      // After re-reading, the write goes through.
      await connector.getIssue(ref(1));
      expect((await connector.updateIssue(ref(1), { title: 'Mine' })).title).toBe('Mine');
      await ado.close();
      fake = null;
    }
  });

  it('writes with the rev it last saw and needs no extra read for consecutive writes', async () => {
    const { ado, connector } = await setup();
    ado.state.addWorkItem('Web', 'Bug', { 'System.Title': 'B' });
    await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    ado.resetCalls();
    await connector.updateIssue(ref(1), { title: 'B1', labels: ['x'], priority: 3 });
    await connector.transitionIssue(ref(1), CanonicalStatus.IN_PROGRESS);
    expect(ado.callsByEndpoint()).toEqual({ 'PATCH workitem': 2 });
    const unknown = createConnector('azure_devops', {
      organization: 'fabrikam',
      project: 'Web',
      personalAccessToken: PAT,
      baseUrl: ado.url,
    });
    await unknown.updateIssue(ref(1), { title: 'B2' });
    expect(ado.callCount('GET workitem')).toBe(1);
  });

  it('adds comments through the comments API (preview api-version) and keeps writing afterwards', async () => {
    const { ado, connector } = await setup();
    ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'T' });
    await connector.getIssue(ref(1));
    await connector.addComment(ref(1), 'Looks good');
    expect(ado.state.comments.get(1)?.map((comment) => comment.text)).toEqual(['Looks good']);
    expect((await connector.updateIssue(ref(1), { title: 'T2' })).title).toBe('T2');
    await expect(connector.addComment(ref(99), 'x')).rejects.toSatisfy((error) =>
      IssueNotFoundError.isInstance(error),
    );
  });

  it('upserts relations idempotently and reads parent and links back', async () => {
    const { ado, connector } = await setup();
    ado.state.addWorkItem('Web', 'Epic', { 'System.Title': 'Epic' });
    ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'Child' });
    ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'Blocked' });
    await connector.upsertLink(ref(2), createLink({ type: LinkType.CHILD_OF, target: ref(1) }));
    await connector.upsertLink(ref(2), createLink({ type: LinkType.BLOCKS, target: ref(3) }));
    await connector.upsertLink(ref(2), createLink({ type: LinkType.BLOCKS, target: ref(3) }));
    expect(ado.state.workItems.get(2)?.relations).toHaveLength(2);
    const child = await connector.getIssue(ref(2));
    expect(child.parent?.id).toBe('1');
    expect(child.links.map((link) => [link.type, link.target.id])).toEqual([['blocks', '3']]);
    const blocked = await connector.getIssue(ref(3));
    expect(blocked.links.map((link) => [link.type, link.target.id])).toEqual([['blocked_by', '2']]);
    const epic = await connector.getIssue(ref(1));
    expect(epic.links.map((link) => [link.type, link.target.id])).toEqual([['parent_of', '2']]);
    // Re-parent through updateIssue: one PATCH removes the old parent and adds the new one.
    ado.state.addWorkItem('Web', 'Epic', { 'System.Title': 'Other epic' });
    const moved = await connector.updateIssue(ref(2), { parent: ref(4) });
    expect(moved.parent?.id).toBe('4');
    expect(ado.state.workItems.get(1)?.relations).toHaveLength(0);
  });

  it('finds a work item whose create crashed after the write, by its marker hyperlink', async () => {
    const { ado, connector } = await setup();
    ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'Crash me' });
    ado.injectFault({ endpoint: 'POST workitem', fault: { kind: 'crash-after-write' } });
    const issue = draftIssue({ title: 'Crash me', body: 'text' });
    await expect(
      connector.createIssue(issue, { idempotencyKey: 'sync:local:here:Crash me' }),
    ).rejects.toThrow();
    expect(ado.callCount('POST workitem')).toBe(1);
    const found = await connector.findCreatedIssue(issue, { idempotencyKey: 'sync:local:here:Crash me' });
    expect(found?.ref.id).toBe('2');
    expect(found?.links).toEqual([]);
    expect(JSON.stringify(ado.state.workItems.get(2)?.relations)).not.toContain('Crash me');
    expect(await connector.findCreatedIssue(issue, { idempotencyKey: 'sync:other' })).toBeNull();
    expect(
      await connector.findCreatedIssue(draftIssue({ title: 'Nothing like it' }), { idempotencyKey: 'k' }),
    ).toBeNull();
  });

  it('maps 404 to IssueNotFoundError and keeps the PAT out of errors', async () => {
    const { ado, connector } = await setup();
    await expect(connector.getIssue(ref(5))).rejects.toSatisfy((error) =>
      IssueNotFoundError.isInstance(error),
    );
    const bad = createConnector('azure_devops', {
      organization: 'fabrikam',
      project: 'Web',
      personalAccessToken: 'wrong-pat-value',
      baseUrl: ado.url,
    });
    const error = await bad.getIssue(ref(1)).catch((caught: unknown) => caught);
    expect((error as ConnectorRequestError).failureClass).toBe('authentication');
    expect(String(error)).not.toContain('wrong-pat-value');
    expect(JSON.stringify(error)).not.toContain(Buffer.from(':wrong-pat-value').toString('base64'));
  });
});

describe('Azure DevOps listIssues', () => {
  it('runs one WIQL per scan and batches ids in chunks of 200', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', 450);
    const { seen, pages } = await drain(connector, 200);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(450);
    expect(seen).toHaveLength(450);
    expect(ado.callCount('POST wiql')).toBe(1);
    expect(ado.callCount('POST workitemsbatch')).toBe(3);
    ado.resetCalls();
    const big = await connector.listIssues({ updatedSince: null, cursor: null, limit: 500 });
    expect(big.items).toHaveLength(450);
    expect(ado.callCount('POST workitemsbatch')).toBe(3);
  });

  it('windows a full scan by id when WIQL would exceed the result cap (two WIQL calls per cap)', async () => {
    const { ado, connector } = await setup({ wiqlMaxResults: 50 });
    ado.state.addManyWorkItems('Web', 180);
    const { seen } = await drain(connector, 40);
    expect(seen).toHaveLength(180);
    expect(new Set(seen).size).toBe(180);
    // 3 capped windows × (1 refused + 1 narrowed) + the last open window.
    expect(ado.callCount('POST wiql')).toBe(7);
  });

  it('walks past empty id windows within one call, at most maxPages windows', async () => {
    const { ado, connector } = await setup({ wiqlMaxResults: 50 });
    ado.state.addManyWorkItems('Web', 120);
    for (let id = 1; id < 49; id += 1) ado.state.workItems.delete(id);
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    expect(page.items.map((issue) => issue.ref.id)[0]).toBe('49');
    const capped = createConnector('azure_devops', {
      organization: 'fabrikam',
      project: 'Web',
      personalAccessToken: PAT,
      baseUrl: ado.url,
      maxPages: 1,
    });
    const error = await capped
      .listIssues({ updatedSince: null, cursor: null, limit: 10 })
      .catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'max_pages', pages: 1, provider: 'azure_devops' });
  });

  it('bisects the ChangedDate window of an incremental pull that exceeds the result cap', async () => {
    const { ado, connector } = await setup({ wiqlMaxResults: 50 });
    ado.state.addManyWorkItems('Web', 180);
    const since = new Date(
      Date.parse(ado.state.workItems.get(1)?.fields['System.ChangedDate'] as string) - 60_000,
    );
    const { seen } = await drain(connector, 40, since);
    expect(seen).toHaveLength(180);
    expect(new Set(seen).size).toBe(180);
    expect(ado.callCount('POST wiql')).toBeLessThan(60);
  });

  it('resumes a cursor in another connector instance without missing items', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', 30);
    const first = await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    const other = createConnector('azure_devops', {
      organization: 'fabrikam',
      project: 'Web',
      personalAccessToken: PAT,
      baseUrl: ado.url,
    });
    const seen = new Set(first.items.map((issue) => issue.ref.id));
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const page = await other.listIssues({ updatedSince: null, cursor, limit: 10 });
      for (const issue of page.items) seen.add(issue.ref.id);
      cursor = page.nextCursor;
    }
    expect(seen.size).toBe(30);
    await expect(connector.listIssues({ updatedSince: null, cursor: 'ado1.bad', limit: 1 })).rejects.toThrow(
      /malformed listIssues cursor/,
    );
    await expect(
      connector.listIssues({ updatedSince: null, cursor: 'ado1.bad', limit: 1 }),
    ).rejects.toSatisfy((error) => MalformedCursorError.isInstance(error));
  });

  it('never misses an item edited mid-scan', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', 12);
    const { seen } = await drain(connector, 4, null, (page) => {
      if (page === 1) {
        ado.state.touchWorkItem(2, { 'System.Title': 'edited early' });
        ado.state.touchWorkItem(9, { 'System.Title': 'edited later' });
      }
    });
    expect(new Set(seen).size).toBe(12);
  });

  it('pulls incrementally with timePrecision and the overlap window', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', 6);
    const since = new Date(ado.state.workItems.get(5)?.fields['System.ChangedDate'] as string);
    const page = await connector.listIssues({ updatedSince: since, cursor: null, limit: 10 });
    expect(page.items.map((issue) => issue.ref.id)).toEqual(['4', '5', '6']);
    expect(page.nextCursor).toBeNull();
  });
});

describe('Azure DevOps failures', () => {
  it('retries idempotent reads (WIQL, batch) on 429/503 and never retries a PATCH', async () => {
    const { ado, connector } = await setup();
    ado.state.addManyWorkItems('Web', 3);
    ado.injectFault({
      endpoint: 'POST wiql',
      fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
    });
    ado.injectFault({ endpoint: 'POST workitemsbatch', fault: { kind: 'status', status: 503 } });
    const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    expect(page.items).toHaveLength(3);
    expect(ado.callCount('POST wiql')).toBe(2);
    expect(ado.callCount('POST workitemsbatch')).toBe(2);
    ado.injectFault({ endpoint: 'PATCH workitem', fault: { kind: 'status', status: 503 } });
    const error = await connector.updateIssue(ref(1), { title: 'x' }).catch((caught: unknown) => caught);
    expect((error as ConnectorRequestError).failureClass).toBe('transient');
    expect(ado.callCount('PATCH workitem')).toBe(1);
    expect(ado.state.workItems.get(1)?.fields['System.Title']).toBe('Item 1');
  });
});

describe('Azure DevOps discovery', () => {
  it('lists the organisation and its projects with continuation tokens', async () => {
    const { ado } = await setup();
    for (let index = 0; index < 120; index += 1) ado.state.addProject(`P${String(index).padStart(3, '0')}`);
    const http = createHttpClient({
      baseUrl: `${ado.url}/fabrikam`,
      provider: 'azure_devops',
      headers: { Authorization: `Basic ${Buffer.from(`:${PAT}`).toString('base64')}` },
    });
    const workspaces = await discoverAzureWorkspaces(http);
    expect(workspaces.items).toMatchObject([
      { id: 'fabrikam', kind: 'organization', provider: 'azure_devops' },
    ]);
    const workspace = workspaces.items[0]!;
    const projects = await discoverAzureProjects(http, workspace);
    expect(projects.truncated).toBe(false);
    expect(projects.items).toHaveLength(121);
    expect(projects.items[0]).toMatchObject({
      provider: 'azure_devops',
      parentWorkspaceId: 'fabrikam',
      resourceType: 'project',
      displayName: 'P000',
      connectorParams: { organization: 'fabrikam', project: 'P000' },
      routingMetadata: { project_name: 'P000', display_key: 'P000' },
    });
    expect(ado.callCount('GET projects')).toBe(2);
  });

  it('stops project discovery on a repeated continuation token', async () => {
    const { ado } = await setup();
    ado.injectFault({
      endpoint: 'GET projects',
      times: Number.POSITIVE_INFINITY,
      fault: {
        kind: 'status',
        status: 200,
        headers: { 'x-ms-continuationtoken': 'same-token' },
        body: { count: 0, value: [] },
      },
    });
    const http = createHttpClient({
      baseUrl: `${ado.url}/fabrikam`,
      provider: 'azure_devops',
      headers: { Authorization: `Basic ${Buffer.from(`:${PAT}`).toString('base64')}` },
    });
    const [workspace] = (await discoverAzureWorkspaces(http)).items;
    const error = await discoverAzureProjects(http, workspace!).catch((e: unknown) => e);
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'repeated_cursor', pages: 2 });
    expect(ado.callCount('GET projects')).toBe(2);
    ado.clearFaults();
  });

  it('works hosted, through the Nango proxy: organization in the path, Accept: application/json', async () => {
    const { ado } = await setup();
    const nango = await new FakeNangoProxy({
      secretKey: 'nango-secret',
      connections: [
        {
          connectionId: 'c',
          providerConfigKey: 'azure-devops',
          credentials: { authorization: `Basic ${Buffer.from(`:${PAT}`).toString('base64')}` },
        },
      ],
      upstreams: { 'azure-devops': ado.url },
    }).start();
    try {
      const context = createNangoConnectionContext({
        connectionId: 'c',
        providerConfigKey: 'azure-devops',
        nangoSecretKey: 'nango-secret',
        nangoBaseUrl: nango.url,
      });
      // dev.azure.com has no organization listing: without the organization, a clear refusal.
      await expect(discoverWorkspaces('azure_devops', context)).rejects.toThrow(ConnectorConfigError);
      const workspaces = await discoverWorkspaces('azure_devops', context, {
        baseUrl: 'https://dev.azure.com/fabrikam',
      });
      expect(workspaces.items).toMatchObject([
        { id: 'fabrikam', provider: 'azure_devops', providerContext: { organization: 'fabrikam' } },
      ]);
      // Resources take the organization from the workspace (the default base has none).
      const projects = await discoverResources('azure_devops', workspaces.items[0]!, context);
      expect(projects).toMatchObject({
        truncated: false,
        items: [
          {
            displayName: 'Web',
            connectorParams: { organization: 'fabrikam', project: 'Web' },
            routingMetadata: { resource_url: 'https://dev.azure.com/fabrikam/Web' },
          },
        ],
      });
      expect(nango.forwarded).toHaveLength(1);
      const forwarded = nango.forwarded[0]!;
      expect(new URL(forwarded.url).pathname).toBe('/fabrikam/_apis/projects');
      expect(forwarded.headers.accept).toBe('application/json');
      expect(forwarded.status).toBe(200);
    } finally {
      await nango.close();
    }
  });
});

describe('Azure DevOps User-Agent', () => {
  it('names the package and version on every request', async () => {
    fake = await new AzureDevOpsFake({ personalAccessToken: PAT }).start();
    fake.state.addProject('Web');
    const agents: (string | null)[] = [];
    const recording: typeof fetch = (input, init) => {
      const headers = new Headers(input instanceof Request ? input.headers : undefined);
      new Headers(init?.headers).forEach((value, name) => {
        headers.set(name, value);
      });
      agents.push(headers.get('user-agent'));
      return fetch(input, init);
    };
    const connector = new AzureDevOpsConnector(
      {
        organization: 'fabrikam',
        project: 'Web',
        personalAccessToken: PAT,
        baseUrl: fake.url,
        statusMap: {},
      },
      { fetch: recording },
    );
    const created = await connector.createIssue(draftIssue({ title: 'UA' }), { idempotencyKey: 'ua' });
    await connector.getIssue(created.ref);
    await connector.listIssues({ updatedSince: null, cursor: null, limit: 10 });
    await connector.addComment(created.ref, 'hi');
    expect(agents.length).toBeGreaterThanOrEqual(4);
    expect(new Set(agents)).toEqual(new Set([`spec-kitty-tracker/@spec-kitty/connector-azure@${VERSION}`]));
  });
});
