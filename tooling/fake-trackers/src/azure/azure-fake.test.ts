import { afterEach, describe, expect, it } from 'vitest';
import { AzureDevOpsFake } from './azure-fake';
import { parseWiql } from './azure-wiql';

let fake: AzureDevOpsFake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const specPresent = AzureDevOpsFake.specAvailable();
const PAT = 'pat-secret';
const auth = { authorization: `Basic ${Buffer.from(`:${PAT}`).toString('base64')}` };
const patchHeaders = { ...auth, 'content-type': 'application/json-patch+json' };
const jsonHeaders = { ...auth, 'content-type': 'application/json' };

async function started(
  options: ConstructorParameters<typeof AzureDevOpsFake>[0] = {},
): Promise<AzureDevOpsFake> {
  fake = await new AzureDevOpsFake({ personalAccessToken: PAT, ...options }).start();
  fake.state.addProject('Web');
  return fake;
}

describe('parseWiql', () => {
  it('parses flat queries and rejects OR', () => {
    const query = parseWiql(
      "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = 'It''s' AND [System.ChangedDate] >= '2026-01-01T00:00:00Z' ORDER BY [System.ChangedDate] ASC, [System.Id]",
    );
    expect(query.where).toEqual([
      { field: 'System.TeamProject', op: '=', value: "It's" },
      { field: 'System.ChangedDate', op: '>=', value: '2026-01-01T00:00:00Z' },
    ]);
    expect(query.orderBy).toEqual([
      { field: 'System.ChangedDate', descending: false },
      { field: 'System.Id', descending: false },
    ]);
    expect(() =>
      parseWiql('SELECT [System.Id] FROM WorkItems WHERE [System.Id] = 1 OR [System.Id] = 2'),
    ).toThrow(/AND only/);
  });
});

describe('AzureDevOpsFake', () => {
  it('creates with $Type and JSON Patch, bumps rev, enforces test /rev and the JSON Patch content type', async () => {
    const ado = await started({ testFailureStatus: 409 });
    const base = `${ado.organizationUrl}/Web/_apis/wit`;
    const created = await fetch(`${base}/workitems/$Task?api-version=7.1`, {
      method: 'POST',
      headers: patchHeaders,
      body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'First' }]),
    });
    expect(created.status).toBe(200);
    const item = (await created.json()) as { id: number; rev: number; fields: Record<string, unknown> };
    expect(item.rev).toBe(1);
    expect(item.fields['System.State']).toBe('New');

    const patch = (ops: unknown, headers: Record<string, string> = patchHeaders) =>
      fetch(`${base}/workitems/${item.id}?api-version=7.1`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify(ops),
      });
    const ok = await patch([
      { op: 'test', path: '/rev', value: 1 },
      { op: 'add', path: '/fields/System.State', value: 'Active' },
    ]);
    expect(((await ok.json()) as { rev: number }).rev).toBe(2);
    const stale = await patch([
      { op: 'test', path: '/rev', value: 1 },
      { op: 'add', path: '/fields/System.Title', value: 'x' },
    ]);
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toContain('TF26071');
    const badState = await patch([{ op: 'add', path: '/fields/System.State', value: 'In Review' }]);
    expect(badState.status).toBe(400);
    const badPriority = await patch([
      { op: 'add', path: '/fields/Microsoft.VSTS.Common.Priority', value: 0 },
    ]);
    expect(badPriority.status).toBe(400);
    const wrongType = await patch([{ op: 'add', path: '/fields/System.Title', value: 'y' }], jsonHeaders);
    expect(wrongType.status).toBe(415);
    expect(ado.violations.join('\n')).toContain('application/json-patch+json');
    ado.violations.length = 0;
    expect((await fetch(`${base}/workitems/${item.id}?api-version=7.1`)).status).toBe(401);
    expect(ado.callCount('PATCH workitem')).toBeGreaterThanOrEqual(4);
  });

  it('resolves System.AssignedTo to an identity, reads it back as an IdentityRef, resets it with ""', async () => {
    const ado = await started();
    ado.state.addIdentity('Alice Smith', 'alice@fabrikam.test');
    ado.state.addIdentity('Bob Jones', 'bob@fabrikam.test');
    ado.state.addIdentity('Bob Jones', 'bob.jones@fabrikam.test');
    const item = ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'Assign me' });
    const patch = async (value: unknown) => {
      const response = await fetch(
        `${ado.organizationUrl}/Web/_apis/wit/workitems/${item.id}?api-version=7.1`,
        {
          method: 'PATCH',
          headers: patchHeaders,
          body: JSON.stringify([{ op: 'add', path: '/fields/System.AssignedTo', value }]),
        },
      );
      const body = (await response.json()) as { fields?: Record<string, unknown>; message?: string };
      return { status: response.status, assigned: body.fields?.['System.AssignedTo'], message: body.message };
    };
    const byUnique = await patch('ALICE@fabrikam.test');
    expect(byUnique.status).toBe(200);
    expect(byUnique.assigned).toMatchObject({
      displayName: 'Alice Smith',
      uniqueName: 'alice@fabrikam.test',
    });
    expect((await patch('Bob Jones <bob.jones@fabrikam.test>')).assigned).toMatchObject({
      uniqueName: 'bob.jones@fabrikam.test',
    });
    expect((await patch('Alice Smith')).assigned).toMatchObject({ uniqueName: 'alice@fabrikam.test' });
    // Two users share the display name: ambiguous, as unknown.
    const ambiguous = await patch('Bob Jones');
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.message).toContain('unknown identity');
    expect((await patch('nobody@fabrikam.test')).status).toBe(400);
    const reset = await patch('');
    expect(reset.status).toBe(200);
    expect(reset.assigned).toBeUndefined();
    expect(ado.violations).toEqual([]);
  });

  it('maintains both ends of relations and refuses duplicates and second parents', async () => {
    const ado = await started();
    const parent = ado.state.addWorkItem('Web', 'Epic', { 'System.Title': 'P' });
    const other = ado.state.addWorkItem('Web', 'Epic', { 'System.Title': 'Q' });
    const child = ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'C' });
    const url = (id: number) => `${ado.url}/fabrikam/_apis/wit/workItems/${id}`;
    const link = (target: number) =>
      fetch(`${ado.organizationUrl}/Web/_apis/wit/workitems/${child.id}?api-version=7.1`, {
        method: 'PATCH',
        headers: patchHeaders,
        body: JSON.stringify([
          {
            op: 'add',
            path: '/relations/-',
            value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: url(target) },
          },
        ]),
      });
    expect((await link(parent.id)).status).toBe(200);
    expect((await link(parent.id)).status).toBe(400);
    expect((await link(other.id)).status).toBe(400);
    expect(ado.state.workItems.get(parent.id)?.relations).toMatchObject([
      { rel: 'System.LinkTypes.Hierarchy-Forward', url: url(child.id) },
    ]);
    const got = await fetch(
      `${ado.organizationUrl}/Web/_apis/wit/workitems/${child.id}?api-version=7.1&$expand=relations`,
      { headers: auth },
    );
    expect(((await got.json()) as { relations: unknown[] }).relations).toHaveLength(1);
    const noExpand = await fetch(
      `${ado.organizationUrl}/Web/_apis/wit/workitems/${child.id}?api-version=7.1`,
      { headers: auth },
    );
    expect(((await noExpand.json()) as { relations?: unknown }).relations).toBeUndefined();
  });

  it('answers WIQL with ids, needs timePrecision for times, caps results and batches ≤200 ids', async () => {
    const ado = await started({ wiqlMaxResults: 50 });
    ado.state.addManyWorkItems('Web', 60);
    const wiql = (query: string, params = 'api-version=7.1&timePrecision=true') =>
      fetch(`${ado.organizationUrl}/Web/_apis/wit/wiql?${params}`, {
        method: 'POST',
        headers: jsonHeaders,
        body: JSON.stringify({ query }),
      });
    const capped = await wiql("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = 'Web'");
    expect(capped.status).toBe(400);
    expect(((await capped.json()) as { message: string }).message).toContain('VS402337');
    const cutoff = ado.state.workItems.get(41)?.fields['System.ChangedDate'] as string;
    const windowed = await wiql(
      `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.ChangedDate] >= '${cutoff}' ORDER BY [System.ChangedDate] ASC`,
    );
    const ids = ((await windowed.json()) as { workItems: { id: number }[] }).workItems.map((row) => row.id);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, index) => 41 + index));
    const noPrecision = await wiql(
      `SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] >= '${cutoff}'`,
      'api-version=7.1',
    );
    expect(noPrecision.status).toBe(400);
    expect(((await noPrecision.json()) as { message: string }).message).toContain('timePrecision');

    const batch = (body: unknown) =>
      fetch(`${ado.organizationUrl}/Web/_apis/wit/workitemsbatch?api-version=7.1`, {
        method: 'POST',
        headers: jsonHeaders,
        body: JSON.stringify(body),
      });
    const okBatch = await batch({ ids: [3, 1], $expand: 'relations' });
    expect(((await okBatch.json()) as { value: { id: number }[] }).value.map((item) => item.id)).toEqual([
      3, 1,
    ]);
    expect((await batch({ ids: Array.from({ length: 201 }, (_, index) => index + 1) })).status).toBe(400);
    expect((await batch({ ids: [1], fields: ['System.Title'], $expand: 'relations' })).status).toBe(400);
    ado.assertNoViolations();
  });

  it('serves comments (preview api-version) and projects with continuation tokens', async () => {
    const ado = await started();
    ado.state.addProject('Api');
    const item = ado.state.addWorkItem('Web', 'Task', { 'System.Title': 'T' });
    const url = `${ado.organizationUrl}/Web/_apis/wit/workItems/${item.id}/comments`;
    const posted = await fetch(`${url}?api-version=7.1-preview.4`, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ text: 'hello' }),
    });
    expect(posted.status).toBe(200);
    expect(ado.state.workItems.get(item.id)?.rev).toBe(2);
    const listedResponse = await fetch(`${url}?api-version=7.1-preview.4`, { headers: auth });
    const listed = (await listedResponse.json()) as { comments: { text: string }[] };
    expect(listed, JSON.stringify(listed)).toHaveProperty('comments');
    expect(listed.comments.map((comment) => comment.text)).toEqual(['hello']);
    if (specPresent) {
      expect(
        (
          await fetch(`${url}?api-version=7.1`, {
            method: 'POST',
            headers: jsonHeaders,
            body: JSON.stringify({ text: 'x' }),
          })
        ).status,
      ).toBe(400);
      expect(ado.violations.join('\n')).toContain('-preview');
      ado.violations.length = 0;
    }
    const first = await fetch(`${ado.organizationUrl}/_apis/projects?api-version=7.1&$top=1`, {
      headers: auth,
    });
    expect(first.headers.get('x-ms-continuationtoken')).toBe('1');
    expect(
      ((await first.json()) as { value: { name: string }[] }).value.map((project) => project.name),
    ).toEqual(['Api']);
    ado.assertNoViolations();
  });

  it.skipIf(!specPresent)(
    'rejects requests the spec rejects (missing api-version, bad body types)',
    async () => {
      const ado = await started();
      const response = await fetch(`${ado.organizationUrl}/Web/_apis/wit/wiql`, {
        method: 'POST',
        headers: jsonHeaders,
        body: JSON.stringify({ query: 5 }),
      });
      expect(response.status).toBe(400);
      expect(ado.violations.join('\n')).toMatch(/api-version.*required/);
      expect(ado.violations.join('\n')).toContain('must be string');
      ado.violations.length = 0;
      const badOp = await fetch(`${ado.organizationUrl}/Web/_apis/wit/workitems/1?api-version=7.1`, {
        method: 'PATCH',
        headers: patchHeaders,
        body: JSON.stringify([{ op: 'bogus', path: 5 }]),
      });
      expect(badOp.status).toBe(400);
      ado.violations.length = 0;
    },
  );

  it('works without the specs (own rules only)', async () => {
    const ado = await started({ validateAgainstSpec: false });
    const response = await fetch(`${ado.organizationUrl}/Web/_apis/wit/workitems/$Bug?api-version=7.1`, {
      method: 'POST',
      headers: patchHeaders,
      body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'B' }]),
    });
    expect(response.status).toBe(200);
    const missingTitle = await fetch(`${ado.organizationUrl}/Web/_apis/wit/workitems/$Bug?api-version=7.1`, {
      method: 'POST',
      headers: patchHeaders,
      body: JSON.stringify([]),
    });
    expect(missingTitle.status).toBe(400);
    const plainJson = await fetch(`${ado.organizationUrl}/Web/_apis/wit/workitems/1?api-version=7.1`, {
      method: 'PATCH',
      headers: jsonHeaders,
      body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'C' }]),
    });
    expect(plainJson.status).toBe(415);
    ado.violations.length = 0;
  });
});
