import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedSpecPath } from '../server/shared-specs';
import { useFakes } from '../testing/use-fakes';
import { GitLabFake } from './gitlab-fake';
import { GITLAB_ARRAY_BODY_FIELDS, GITLAB_LINK_STRING_FIELDS } from './gitlab-validation';

const track = useFakes();

async function started(options: ConstructorParameters<typeof GitLabFake>[0] = {}): Promise<GitLabFake> {
  return track(new GitLabFake(options).start());
}

const jsonHeaders = { 'content-type': 'application/json' };

describe('GitLabFake', () => {
  it('creates, reads and updates issues by iid with project ids or URL-encoded paths', async () => {
    const gl = await started({ token: 'secret' });
    const group = gl.state.addGroup({ path: 'acme' });
    const project = gl.state.addProject({ path: 'web', groupId: group.id });
    const created = await fetch(`${gl.apiUrl}/projects/acme%2Fweb/issues`, {
      method: 'POST',
      headers: { ...jsonHeaders, 'private-token': 'secret' },
      body: JSON.stringify({ title: 'First', labels: ['bug', 'ui'] }),
    });
    expect(created.status).toBe(201);
    const issue = (await created.json()) as {
      iid: number;
      labels: string[];
      state: string;
      updated_at: string;
    };
    expect(issue).toMatchObject({ iid: 1, labels: ['bug', 'ui'], state: 'opened' });

    const closed = await fetch(`${gl.apiUrl}/projects/${project.id}/issues/1`, {
      method: 'PUT',
      headers: { ...jsonHeaders, 'private-token': 'secret' },
      body: JSON.stringify({ state_event: 'close' }),
    });
    const closedBody = (await closed.json()) as { state: string; updated_at: string };
    expect(closedBody.state).toBe('closed');
    expect(Date.parse(closedBody.updated_at)).toBeGreaterThan(Date.parse(issue.updated_at));

    // A no-op state_event does not bump updated_at.
    const again = await fetch(`${gl.apiUrl}/projects/${project.id}/issues/1`, {
      method: 'PUT',
      headers: { ...jsonHeaders, 'private-token': 'secret' },
      body: JSON.stringify({ state_event: 'close' }),
    });
    expect(((await again.json()) as { updated_at: string }).updated_at).toBe(closedBody.updated_at);

    expect((await fetch(`${gl.apiUrl}/projects/${project.id}/issues/1`)).status).toBe(401);
    expect(
      (await fetch(`${gl.apiUrl}/projects/999/issues/1`, { headers: { 'private-token': 'secret' } })).status,
    ).toBe(404);
    // An unencoded path does not match the route, as on GitLab.
    expect(
      (await fetch(`${gl.apiUrl}/projects/acme/web/issues/1`, { headers: { 'private-token': 'secret' } }))
        .status,
    ).toBe(404);
    gl.violations.length = 0;
    expect(gl.callsByEndpoint()['PUT /projects/{id}/issues/{iid}']).toBe(2);
  });

  it('paginates with X-Next-Page and Link, and omits totals above the limit', async () => {
    const gl = await started({ totalsLimit: 50 });
    const project = gl.state.addProject({ path: 'big' });
    gl.state.addManyIssues(project.id, 60);
    const first = await fetch(
      `${gl.apiUrl}/projects/${project.id}/issues?per_page=25&order_by=updated_at&sort=asc`,
    );
    expect(first.headers.get('x-next-page')).toBe('2');
    expect(first.headers.get('x-total')).toBeNull();
    expect(first.headers.get('link')).toContain('rel="next"');
    expect(first.headers.get('link')).not.toContain('rel="last"');
    const rows = (await first.json()) as { iid: number }[];
    expect(rows.map((row) => row.iid).slice(0, 3)).toEqual([1, 2, 3]);
    const last = await fetch(`${gl.apiUrl}/projects/${project.id}/issues?per_page=25&page=3`);
    expect(last.headers.get('x-next-page')).toBe('');
    expect(((await last.json()) as unknown[]).length).toBe(10);

    gl.state.addProject({ path: 'small', id: 77 });
    const small = await fetch(`${gl.apiUrl}/projects/77/issues`);
    expect(small.headers.get('x-total')).toBe('0');
    gl.setPaginationHeaders(false);
    const stripped = await fetch(`${gl.apiUrl}/projects/${project.id}/issues?per_page=25`);
    expect(stripped.headers.get('x-next-page')).toBeNull();
  });

  it('filters by updated_after inclusively and rejects bad parameters', async () => {
    const gl = await started();
    const project = gl.state.addProject({ path: 'p' });
    gl.state.addManyIssues(project.id, 5);
    const third = gl.state.getIssue(project.id, 3);
    const response = await fetch(
      `${gl.apiUrl}/projects/${project.id}/issues?updated_after=${encodeURIComponent(third?.updated_at ?? '')}&order_by=updated_at&sort=asc`,
    );
    expect(((await response.json()) as { iid: number }[]).map((row) => row.iid)).toEqual([3, 4, 5]);
    const bad = await fetch(`${gl.apiUrl}/projects/${project.id}/issues?state=open`);
    expect(bad.status).toBe(400);
    expect(gl.violations.join('\n')).toContain('state does not have a valid value');
    gl.violations.length = 0;
    const badBody = await fetch(`${gl.apiUrl}/projects/${project.id}/issues`, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ title: 'x', assignee_ids: ['alice'] }),
    });
    expect(badBody.status).toBe(400);
    expect(gl.violations.join('\n')).toContain('assignee_ids is invalid');
    gl.violations.length = 0;
  });

  it('serves notes, links, users, groups and group projects', async () => {
    const gl = await started();
    gl.state.addUser({ id: 7, username: 'alice' });
    const parent = gl.state.addGroup({ id: 10, path: 'acme', accessLevel: 30 });
    gl.state.addGroup({ id: 11, path: 'team', parentId: parent.id, accessLevel: 10 });
    gl.state.addProject({ id: 20, path: 'one', groupId: 10 });
    gl.state.addProject({ id: 21, path: 'two', groupId: 11 });
    gl.state.addIssue(20, { title: 'a' });
    gl.state.addIssue(20, { title: 'b' });
    const post = (path: string, body: unknown) =>
      fetch(`${gl.apiUrl}${path}`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify(body) });
    expect((await post('/projects/20/issues/1/notes', { body: 'hi' })).status).toBe(201);
    expect(
      (
        await post('/projects/20/issues/1/links', {
          target_project_id: '20',
          target_issue_iid: '2',
          link_type: 'blocks',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post('/projects/20/issues/2/links', {
          target_project_id: '20',
          target_issue_iid: '1',
          link_type: 'relates_to',
        })
      ).status,
    ).toBe(409);
    const links = (await (await fetch(`${gl.apiUrl}/projects/20/issues/2/links`)).json()) as {
      iid: number;
      link_type: string;
    }[];
    expect(links).toMatchObject([{ iid: 1, link_type: 'is_blocked_by' }]);
    const users = (await (await fetch(`${gl.apiUrl}/users?username=alice`)).json()) as { id: number }[];
    expect(users).toMatchObject([{ id: 7 }]);
    const groups = (await (await fetch(`${gl.apiUrl}/groups?min_access_level=20`)).json()) as {
      id: number;
    }[];
    expect(groups.map((group) => group.id)).toEqual([10]);
    const direct = (await (await fetch(`${gl.apiUrl}/groups/10/projects`)).json()) as { id: number }[];
    expect(direct.map((project) => project.id)).toEqual([20]);
    const all = (await (await fetch(`${gl.apiUrl}/groups/10/projects?include_subgroups=true`)).json()) as {
      id: number;
      namespace: { full_path: string };
    }[];
    expect(all.map((project) => project.id)).toEqual([20, 21]);
    expect(all[1]?.namespace.full_path).toBe('acme/team');
    gl.assertNoViolations();
  });

  it('holds clients to the forms the OpenAPI description declares: label arrays, string link ids', async () => {
    const gl = await started();
    gl.state.addProject({ id: 20, path: 'one' });
    gl.state.addIssue(20, { title: 'a' });
    gl.state.addIssue(20, { title: 'b' });
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${gl.apiUrl}${path}`, { method, headers: jsonHeaders, body: JSON.stringify(body) });
    expect((await send('POST', '/projects/20/issues', { title: 'c', labels: 'bug,ui' })).status).toBe(400);
    expect((await send('PUT', '/projects/20/issues/1', { add_labels: 'x' })).status).toBe(400);
    const numeric = { target_project_id: 20, target_issue_iid: 2, link_type: 'blocks' };
    expect((await send('POST', '/projects/20/issues/1/links', numeric)).status).toBe(400);
    expect(gl.violations.join('\n')).toMatch(
      /labels is invalid \(the OpenAPI description declares an array of strings/,
    );
    expect(gl.violations.join('\n')).toMatch(/target_issue_iid is missing or not a string of digits/);
    gl.violations.length = 0;
    expect((await send('PUT', '/projects/20/issues/1', { labels: ['bug'], remove_labels: [] })).status).toBe(
      200,
    );
    expect(
      (await send('POST', '/projects/20/issues/1/links', { target_project_id: '20', target_issue_iid: '2' }))
        .status,
    ).toBe(201);
    gl.assertNoViolations();
  });

  it.skipIf(sharedSpecPath('gitlab/openapi-v2.subset.json') === null)(
    'declares those fields the way the official OpenAPI description does',
    () => {
      const spec = JSON.parse(
        readFileSync(sharedSpecPath('gitlab/openapi-v2.subset.json') as string, 'utf8'),
      ) as {
        definitions: Record<
          string,
          { properties: Record<string, { type?: string; items?: { type?: string } }> }
        >;
      };
      for (const definition of ['postApiV4ProjectsIdIssues', 'putApiV4ProjectsIdIssuesIssueIid']) {
        for (const field of GITLAB_ARRAY_BODY_FIELDS) {
          expect(spec.definitions[definition]?.properties[field]).toMatchObject({
            type: 'array',
            items: { type: 'string' },
          });
        }
      }
      for (const field of GITLAB_LINK_STRING_FIELDS) {
        expect(spec.definitions.postApiV4ProjectsIdIssuesIssueIidLinks?.properties[field]?.type).toBe(
          'string',
        );
      }
      // The list filters the fake implements (`iids[]`, `not[iids][]`): arrays of integers.
      const list = (
        spec as unknown as {
          paths: Record<string, { get: { parameters: { name: string; type?: string; items?: unknown }[] } }>;
        }
      ).paths['/api/v4/projects/{id}/issues']?.get.parameters;
      for (const name of ['iids', 'not[iids]'])
        expect(list?.find((parameter) => parameter.name === name)).toMatchObject({
          type: 'array',
          items: { type: 'integer' },
        });
    },
  );
});

describe('GitLabFake single-issue answers and listing rows', () => {
  it('carries subscribed on a single issue only, as GitLab (listings pass include_subscribed: false)', async () => {
    const gl = await started();
    const project = gl.state.addProject({ id: 42, path: 'web' });
    const other = gl.state.addUser({ username: 'other' });
    gl.state.addIssue(project.id, { title: 'mine' });
    gl.state.addIssue(project.id, { title: 'theirs', author_id: other.id });
    const single = async (iid: number) =>
      (await (await fetch(`${gl.apiUrl}/projects/42/issues/${iid}`)).json()) as Record<string, unknown>;
    expect((await single(1)).subscribed).toBe(true);
    expect((await single(2)).subscribed).toBe(false);
    const edited = (await (
      await fetch(`${gl.apiUrl}/projects/42/issues/2`, {
        method: 'PUT',
        headers: jsonHeaders,
        body: JSON.stringify({ title: 'edited' }),
      })
    ).json()) as Record<string, unknown>;
    expect(edited.subscribed).toBe(false);
    const rows = (await (
      await fetch(`${gl.apiUrl}/projects/42/issues?iids[]=1&iids[]=2&per_page=100`)
    ).json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(Object.hasOwn(row, 'subscribed')).toBe(false);
    // Otherwise a row is the single answer.
    const { subscribed: _flag, ...rest } = await single(1);
    expect(rows.find((row) => row.iid === 1)).toEqual(rest);
    expect(gl.violations).toEqual([]);
  });
});
