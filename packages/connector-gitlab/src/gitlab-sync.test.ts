import {
  CanonicalStatus,
  cloneIssue,
  createConnector,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { describe, expect, it } from 'vitest';
import './index';

const track = useFakes();

const TOKEN = 'glpat-sync';
const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const writes = (gl: GitLabFake) =>
  gl.callCount('PUT /projects/{id}/issues/{iid}') +
  gl.callCount('POST /projects/{id}/issues') +
  gl.callCount('POST /projects/{id}/issues/{iid}/notes');

describe('GitLab with the sync engine', () => {
  it('pulls, stays echo-free, pushes one local edit once (statuses round-trip with statusLabels)', async () => {
    const gl = await track(
      new GitLabFake({ token: TOKEN, startTime: new Date(Date.now() - 3600_000) }).start(),
    );
    gl.state.addProject({ id: 42, path: 'web' });
    gl.state.addManyIssues(42, 25);
    const connector = createConnector('gitlab', {
      projectId: '42',
      token: TOKEN,
      baseUrl: gl.apiUrl,
      statusLabels: { in_progress: 'workflow::doing' },
    });
    const store = new InMemoryIssueStore();
    const engine = new SyncEngine({ connector, store, policy: shared });
    const first = await engine.sync({ limit: 10 });
    expect(first.failures).toEqual([]);
    expect(first.stats.pulledCreated).toBe(25);
    expect(writes(gl)).toBe(0);

    gl.resetCalls();
    await engine.sync({ limit: 10 });
    expect(writes(gl)).toBe(0);

    const local = (await store.listIssues({ system: 'gitlab' })).find((issue) => issue.ref.id === '7')!;
    await store.upsertIssue(
      cloneIssue(local, { title: 'Edited locally', status: CanonicalStatus.IN_PROGRESS }),
    );
    gl.resetCalls();
    const pushed = await engine.sync({ limit: 10 });
    expect(pushed.failures).toEqual([]);
    expect(gl.state.getIssue(42, 7)).toMatchObject({ title: 'Edited locally', labels: ['workflow::doing'] });
    const afterPush = writes(gl);
    expect(afterPush).toBeGreaterThan(0);
    expect(afterPush).toBeLessThanOrEqual(2);

    gl.resetCalls();
    const again = await engine.sync({ limit: 10 });
    expect(again.failures).toEqual([]);
    expect(again.conflicts).toEqual([]);
    expect(writes(gl)).toBe(0);
  });
});
