// A tracker that holds one assignee (Azure DevOps) writes the one it keeps and the engine records
// the rest as a patch_field_denied failure, on create and on update, and nothing on later syncs.
import { describe, expect, it } from 'vitest';
import type { ExternalRef } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { IssuePatch, WriteOptions } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { FakeTracker } from './test-support/fake-tracker';
import { issue, ref } from './test-support/fixtures';

const oneAssignee = (value: CanonicalIssue): CanonicalIssue =>
  cloneIssue(value, { assignees: [...value.assignees].sort().slice(0, 1) });

class SingleAssigneeTracker extends FakeTracker {
  projectIssue(value: CanonicalIssue): CanonicalIssue {
    return oneAssignee(value);
  }
  override async createIssue(value: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue> {
    return super.createIssue(oneAssignee(value), options);
  }
  override async updateIssue(target: ExternalRef, patch: IssuePatch, options?: WriteOptions) {
    const sent = patch.assignees ? { ...patch, assignees: [...patch.assignees].sort().slice(0, 1) } : patch;
    return super.updateIssue(target, sent, options);
  }
}

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function world(supportsAssignment = true) {
  const tracker = new SingleAssigneeTracker({
    capabilities: { supportsAssignment, supportsMultiAssignee: false },
  });
  const store = new InMemoryIssueStore();
  return { tracker, store, engine: new SyncEngine({ connector: tracker, store, policy: shared }) };
}

describe('assignees a single-assignee tracker cannot hold', () => {
  it('records the dropped ones on create and on update, once per write', async () => {
    const { tracker, store, engine } = world();
    await store.upsertIssue(issue('A', { assignees: ['carol', 'alice', 'bob'] }));
    const created = await engine.sync();
    expect(created.stats.pushedCreated).toBe(1);
    expect(created.failures).toMatchObject([
      {
        operation: 'patch_field_denied',
        retryable: false,
        message: "assignees truncated: memory holds one assignee; wrote 'alice', not 'carol', 'bob'",
      },
    ]);
    expect(tracker.issues.get('memory:demo:A')?.assignees).toEqual(['alice']);
    // The local value is kept, and what the tracker cannot hold costs nothing on later syncs.
    expect((await store.getIssue(ref('A')))?.assignees).toEqual(['carol', 'alice', 'bob']);
    expect((await engine.sync()).failures).toEqual([]);

    const local = await store.getIssue(ref('A'));
    await store.upsertIssue(cloneIssue(local!, { assignees: ['dave', 'erin'] }));
    const updated = await engine.sync();
    expect(updated.stats.pushedUpdated).toBe(1);
    expect(updated.errors).toEqual([
      "patch_field_denied[memory:demo:A]: assignees truncated: memory holds one assignee; wrote 'dave', not 'erin'",
    ]);
    expect(tracker.issues.get('memory:demo:A')?.assignees).toEqual(['dave']);
    expect((await engine.sync()).failures).toEqual([]);
  });

  it('records nothing for a single assignee, nor when assignees are not written at all', async () => {
    const single = world();
    await single.store.upsertIssue(issue('A', { assignees: ['alice'] }));
    expect((await single.engine.sync()).failures).toEqual([]);

    const unassignable = world(false);
    await unassignable.store.upsertIssue(issue('B', { assignees: ['alice', 'bob'] }));
    const result = await unassignable.engine.sync();
    expect(result.errors.filter((error) => error.includes('truncated'))).toEqual([]);
  });
});
