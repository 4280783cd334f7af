// A run with no limit pages at `capabilities.maxPageSize`: a cold pull costs as few list calls as
// GitLab's 100-per-page maximum allows, and an unchanged incremental sync costs at most 2 calls.
import {
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

const TOKEN = 'glpat-page-size';
const LIST = 'GET /projects/{id}/issues';
const track = useFakes();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

describe('GitLab page size', () => {
  it('declares maxPageSize 100; a cold pull takes ceil(N/100) list calls and a no-op sync at most 2', async () => {
    const gl = await track(
      await new GitLabFake({ token: TOKEN, startTime: new Date(Date.now() - 3600_000) }).start(),
    );
    gl.state.addProject({ id: 42, path: 'web' });
    // An exact multiple of the page size: neither the inclusive `updated_after` boundary nor the
    // end of the scan may cost an extra call.
    gl.state.addManyIssues(42, 1000);
    const connector = createConnector('gitlab', { projectId: '42', token: TOKEN, baseUrl: gl.apiUrl });
    expect((await connector.getCapabilities()).maxPageSize).toBe(100);
    const engine = new SyncEngine({ connector, store: new InMemoryIssueStore(), policy });
    const pulled = await engine.pull();
    expect(pulled.stats.pulledCreated).toBe(1000);
    expect(gl.callCount(LIST)).toBe(1000 / 100);
    gl.assertNoViolations();

    gl.resetCalls();
    const again = await engine.sync();
    expect(again.failures).toEqual([]);
    expect(again.stats.pushedUpdated + again.stats.pushedCreated).toBe(0);
    expect(gl.callCount()).toBeLessThanOrEqual(2);
  });
});
