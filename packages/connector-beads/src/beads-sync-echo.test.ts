// Echo freedom end to end against the fake bd: a local in_review (bd has no review state, it
// reads back in_progress) is written once, then costs no bd write on later syncs, reports no
// conflict and stays in_review locally; a close made in bd still arrives as done.
import { execFileSync } from 'node:child_process';
import {
  CanonicalIssueType,
  CanonicalStatus,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import { SubprocessCommandRunner } from '@spec-kitty/core/process';
import { createBeadsWorkspace, createFakeCliBinDir, fakeCliEnv } from '@spec-kitty/fake-trackers/cli';
import { describe, expect, it } from 'vitest';
import { BeadsConnector } from './beads-connector';

const env = fakeCliEnv(createFakeCliBinDir());
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const READS = new Set(['list', 'show', 'config']);

describe('SyncEngine + BeadsConnector: no echo for unrepresentable values', () => {
  it('writes an in_review issue once, then nothing, and still receives a close', async () => {
    const ws = createBeadsWorkspace();
    const runner = new SubprocessCommandRunner({ env, timeoutMs: 30_000, provider: 'beads' });
    const connector = new BeadsConnector({ cwd: ws.dir, workspace: 'repo' }, { runner });
    const writes = () =>
      ws.calls().filter((call) => !READS.has(call.argv.find((arg) => !arg.startsWith('-')) ?? '')).length;
    const store = new InMemoryIssueStore();
    await store.upsertIssue(
      createIssue({
        ref: createRef({ system: 'beads', workspace: 'repo', id: 'draft-1' }),
        title: 'Needs review',
        status: CanonicalStatus.IN_REVIEW,
        issueType: CanonicalIssueType.SUBTASK,
      }),
    );
    const engine = new SyncEngine({ connector, store, policy, sleep: async () => {} });

    const first = await engine.sync();
    expect(first.failures).toEqual([]);
    expect(first.stats.pushedCreated).toBe(1);
    const afterCreate = writes();
    expect(afterCreate).toBeGreaterThan(0);
    const [stored] = await store.listIssues({ system: 'beads' });
    if (!stored) throw new Error('no local issue');
    expect(stored.status).toBe(CanonicalStatus.IN_REVIEW);

    for (let round = 0; round < 3; round++) {
      const result = await engine.sync();
      expect(result.conflicts).toEqual([]);
      expect(result.failures).toEqual([]);
      expect(result.stats.pushedUpdated).toBe(0);
    }
    expect(writes()).toBe(afterCreate);
    expect(await store.getIssue(stored.ref)).toMatchObject({
      status: CanonicalStatus.IN_REVIEW,
      issueType: CanonicalIssueType.SUBTASK,
      priority: null,
    });

    // Someone closes the issue in bd.
    execFileSync('bd', ['close', stored.ref.id], { cwd: ws.dir, env: { ...process.env, ...env } });
    const closing = await engine.sync();
    expect(closing.conflicts).toEqual([]);
    expect((await store.getIssue(stored.ref))?.status).toBe(CanonicalStatus.DONE);
  });
});
