// Crash-safe creates end to end against the fake bd: an issue bd created but the local store never
// recorded (the process died in between) is found again by its external_ref marker on the next
// sync, so bd ends up with exactly one issue.
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  refIdentity,
  SyncEngine,
} from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createBeadsWorkspace, createFakeCliBinDir, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { BeadsConnector } from './beads-connector';

const env = fakeCliEnv(createFakeCliBinDir());
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function setup() {
  const ws = createBeadsWorkspace();
  const runner = new SubprocessCommandRunner({ env, timeoutMs: 30_000, provider: 'beads' });
  const connector = new BeadsConnector({ cwd: ws.dir, workspace: 'repo' }, { runner });
  const draft = createIssue({
    ref: createRef({ system: 'beads', workspace: 'repo', id: 'draft-1' }),
    title: 'Write the docs',
    body: 'All of them',
    status: CanonicalStatus.IN_PROGRESS,
    issueType: CanonicalIssueType.TASK,
    priority: 1,
  });
  const bdIssues = () => Object.values((ws.readState() as { issues: Record<string, unknown> }).issues);
  const creates = () => ws.calls().filter((call) => call.argv.includes('create')).length;
  return { ws, connector, draft, bdIssues, creates };
}

/** A store whose next write fails, as if the process died right after bd created the issue. */
class CrashingStore extends InMemoryIssueStore {
  crashNextWrite = true;

  override async upsertIssue(issue: CanonicalIssue): Promise<void> {
    if (this.crashNextWrite) {
      this.crashNextWrite = false;
      throw new Error('process died before recording the create');
    }
    return super.upsertIssue(issue);
  }
}

describe('SyncEngine + BeadsConnector: a crash between create and record', () => {
  it('creates through the connector, drops the record, syncs again: exactly one bd issue', async () => {
    const { connector, draft, bdIssues, creates } = setup();
    // The engine's own key for this draft; the record of the create is then lost.
    const created = await connector.createIssue(draft, {
      idempotencyKey: `sync:create:${refIdentity(draft.ref)}`,
    });
    const store = new InMemoryIssueStore();
    await store.upsertIssue(draft);

    const result = await new SyncEngine({ connector, store, policy, sleep: async () => {} }).sync();
    expect(result.failures).toEqual([]);
    expect(bdIssues()).toHaveLength(1);
    expect(creates()).toBe(1);
    const stored = await store.listIssues({ system: 'beads' });
    expect(stored.map((issue) => issue.ref.id)).toEqual([created.ref.id]);
    expect(stored[0]).toMatchObject({ title: 'Write the docs', status: CanonicalStatus.IN_PROGRESS });
  });

  it('recovers when the engine itself dies after bd created the issue', async () => {
    const { connector, draft, bdIssues, creates } = setup();
    const store = new CrashingStore();
    store.crashNextWrite = false;
    await store.upsertIssue(draft);
    store.crashNextWrite = true;
    const engine = new SyncEngine({ connector, store, policy, sleep: async () => {} });

    await expect(engine.sync()).rejects.toThrow('process died before recording the create');
    expect(bdIssues()).toHaveLength(1);

    const again = await engine.sync();
    expect(again.failures).toEqual([]);
    expect(bdIssues()).toHaveLength(1);
    expect(creates()).toBe(1);
    const stored = await store.listIssues({ system: 'beads' });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.ref.id).not.toBe('draft-1');
    // Nothing left to create: later runs stay at one issue.
    expect((await engine.sync()).stats.pushedCreated).toBe(0);
    expect(bdIssues()).toHaveLength(1);
  });
});
