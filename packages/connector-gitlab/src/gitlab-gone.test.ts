import { ConnectorRequestError, createRef, TrackerContractError } from '@spec-kitty/core';
import { createHttpClient } from '@spec-kitty/core/http';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { afterEach, describe, expect, it } from 'vitest';
import { GitLabConnector } from './gitlab-connector';

const TOKEN = 'glpat-secret-token';
const LIST = 'GET /projects/{id}/issues';

let fake: GitLabFake | null = null;
afterEach(async () => {
  if (fake) {
    const violations = [...fake.violations];
    await fake.close();
    fake = null;
    expect(violations).toEqual([]);
  }
});

async function setup(extra: { timeoutMs?: number } = {}) {
  fake = await new GitLabFake({ token: TOKEN }).start();
  const group = fake.state.addGroup({ id: 5, path: 'acme' });
  fake.state.addProject({ id: 42, path: 'web', groupId: group.id });
  fake.state.addProject({ id: 43, path: 'api', groupId: group.id });
  const http =
    extra.timeoutMs === undefined
      ? undefined
      : createHttpClient({
          baseUrl: fake.apiUrl,
          headers: { 'PRIVATE-TOKEN': TOKEN },
          provider: 'gitlab',
          timeoutMs: extra.timeoutMs,
        });
  const connector = new GitLabConnector(
    { projectId: '42', token: TOKEN, baseUrl: fake.apiUrl },
    http ? { http } : {},
  );
  return { gl: fake, connector };
}

const ref = (id: string, workspace = '42') => createRef({ system: 'gitlab', workspace, id });

describe('GitLabConnector deletions and moves', () => {
  it('declares reportsDeletions', async () => {
    const { connector } = await setup();
    expect((await connector.getCapabilities()).reportsDeletions).toBe(true);
  });

  it('checkGone: one bulk iids[] read; deleted (missing) and moved (moved_to_id) refs, live ones omitted', async () => {
    const { gl, connector } = await setup();
    for (const title of ['live', 'deleted', 'moved']) gl.state.addIssue(42, { title });
    gl.state.deleteIssue(42, 2);
    gl.state.moveIssue(42, 3, 43);
    const before = gl.calls.length;
    const tombstones = await connector.checkGone([ref('1'), ref('2'), ref('3')]);
    expect(tombstones.map((t) => [t.ref.id, t.reason, t.movedTo])).toEqual([
      ['2', 'deleted', null],
      ['3', 'moved', null],
    ]);
    expect(gl.calls.slice(before).map((call) => call.endpoint)).toEqual([LIST]);
  });

  it('checkGone batches 100 iids per call', async () => {
    const { gl, connector } = await setup();
    gl.state.addManyIssues(42, 150);
    const refs = Array.from({ length: 150 }, (_, index) => ref(String(index + 1)));
    expect(await connector.checkGone(refs)).toEqual([]);
    expect(gl.callCount(LIST)).toBe(2);
  });

  it('an incremental listing reports a moved original as a tombstone, not an item', async () => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, { title: 'stays' });
    gl.state.addIssue(42, { title: 'moves' });
    const since = gl.state.now();
    gl.state.moveIssue(42, 2, 43);
    gl.state.touchIssue(42, 1, { title: 'stays, edited' });
    const page = await connector.listIssues({ updatedSince: since, cursor: null, limit: 50 });
    expect(page.items.map((issue) => issue.title)).toEqual(['stays, edited']);
    expect(page.tombstones).toMatchObject([
      { ref: { workspace: '42', id: '2' }, reason: 'moved', movedTo: null },
    ]);
  });

  it('rejects refs of another project instead of guessing', async () => {
    const { connector } = await setup();
    const error = await connector.checkGone([ref('1', '43')]).catch((e: unknown) => e);
    expect(TrackerContractError.isInstance(error)).toBe(true);
  });

  it.each([
    ['401', { kind: 'status', status: 401 }],
    ['403', { kind: 'status', status: 403 }],
    ['404 (project unreadable)', { kind: 'status', status: 404 }],
    ['500', { kind: 'status', status: 500 }],
    ['rate limit', { kind: 'status', status: 429, retryAfter: 3600 }],
  ] as const)('throws on %s instead of reporting a deletion', async (_label, fault) => {
    const { gl, connector } = await setup();
    gl.state.addIssue(42, { title: 'one' });
    gl.injectFault({ endpoint: LIST, times: Number.POSITIVE_INFINITY, fault });
    const error = await connector.checkGone([ref('1')]).catch((e: unknown) => e);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
  });

  it('throws on a timeout instead of reporting a deletion', async () => {
    const { gl, connector } = await setup({ timeoutMs: 200 });
    gl.state.addIssue(42, { title: 'one' });
    gl.injectFault({ endpoint: LIST, times: Number.POSITIVE_INFINITY, fault: { kind: 'timeout' } });
    await expect(connector.checkGone([ref('1')])).rejects.toThrow();
  });
});
