// With sync bases, a manual_review conflict is written to neither side until a host resolution
// settles it; `resolutions` then writes the decided value to both sides (issue 12 item 2).
import { describe, expect, it } from 'vitest';
import { SyncConflictError } from '../errors/errors';
import { type CanonicalIssue, cloneIssue } from '../model/issue';
import { type ConflictResolution, ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, noSleep, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const KEY = 'memory:demo:T-1';

async function world(options: Partial<SyncEngineOptions> = {}) {
  const tracker = new FakeTracker();
  tracker.seed(issue('T-1', { title: 'start', body: 'start', updatedAt: at('2026-01-01T00:00:00Z') }));
  tracker.seed(issue('T-2', { title: 'other', updatedAt: at('2026-01-01T00:00:00Z') }));
  const connector = counting(tracker);
  const store = new InMemoryIssueStore();
  const engine = new SyncEngine({
    connector,
    store,
    policy: shared,
    strategy: ConflictStrategy.MANUAL_REVIEW,
    sleep: noSleep,
    ...options,
  });
  await engine.sync();
  const editLocal = async (id: string, changes: Partial<CanonicalIssue>) => {
    const local = (await store.getIssue(ref(id))) as CanonicalIssue;
    await store.upsertIssue(cloneIssue(local, { ...changes, updatedAt: at('2026-03-01T00:00:00Z') }));
  };
  /** A colleague edits the title on the tracker while the local side edits it too. */
  const conflictOnTitle = async () => {
    tracker.edit(ref('T-1'), { title: 'colleague title' });
    await editLocal('T-1', { title: 'local title' });
    connector.reset();
  };
  return { tracker, connector, store, engine, editLocal, conflictOnTitle };
}

const resolution = (value: unknown, id = 'r1', fieldName = 'title'): ConflictResolution => ({
  id,
  issueRef: ref('T-1'),
  fieldName,
  value,
});

describe('pending manual-review conflicts (sync base)', () => {
  it('writes the field to neither side and reports it as pending with the base value kept', async () => {
    const { tracker, connector, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    const result = await engine.sync();
    expect(result.conflicts).toEqual([
      {
        fieldName: 'title',
        localValue: 'local title',
        externalValue: 'colleague title',
        resolvedValue: 'start',
        strategy: ConflictStrategy.MANUAL_REVIEW,
        manualReviewRequired: true,
        issueRef: ref('T-1'),
        pending: true,
      },
    ]);
    expect(connector.calls.updateIssue ?? 0).toBe(0);
    expect(tracker.issues.get(KEY)?.title).toBe('colleague title');
    expect((await store.getIssue(ref('T-1')))?.title).toBe('local title');
    expect(result.discarded).toEqual([]);
  });

  it('re-detects the conflict on every run until resolved, without writing anything', async () => {
    const { tracker, connector, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    await engine.sync();
    const stored = await store.getIssue(ref('T-1'));
    connector.reset();
    const again = await engine.sync();
    expect(again.conflicts.map((conflict) => [conflict.fieldName, conflict.pending])).toEqual([
      ['title', true],
    ]);
    expect(connector.writes()).toBe(0);
    expect(await store.getIssue(ref('T-1'))).toEqual(stored);
    expect(tracker.issues.get(KEY)?.title).toBe('colleague title');
  });

  it('still syncs the other fields of the issue while the conflicting one is held', async () => {
    const { tracker, engine, editLocal, conflictOnTitle } = await world();
    await conflictOnTitle();
    await editLocal('T-1', { title: 'local title', body: 'local body' });
    await engine.sync();
    expect(tracker.issues.get(KEY)).toMatchObject({ title: 'colleague title', body: 'local body' });
  });

  it('applies a take-local resolution to the tracker and settles the conflict', async () => {
    const { tracker, connector, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    await engine.sync();
    const result = await engine.sync({ resolutions: [resolution('local title')] });
    expect(result.appliedResolutions).toEqual(['r1']);
    expect(result.conflicts).toEqual([]);
    expect(tracker.issues.get(KEY)?.title).toBe('local title');
    expect((await store.getIssue(ref('T-1')))?.title).toBe('local title');
    connector.reset();
    const after = await engine.sync();
    expect(after.conflicts).toEqual([]);
    expect(connector.writes()).toBe(0);
  });

  it('applies a take-tracker resolution locally, with no tracker write', async () => {
    const { tracker, connector, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    await engine.sync();
    connector.reset();
    const result = await engine.sync({ resolutions: [resolution('colleague title')] });
    expect(result.appliedResolutions).toEqual(['r1']);
    expect(connector.writes()).toBe(0);
    expect((await store.getIssue(ref('T-1')))?.title).toBe('colleague title');
    expect(tracker.issues.get(KEY)?.title).toBe('colleague title');
    const after = await engine.sync();
    expect(after.conflicts).toEqual([]);
  });

  it('applies a chosen value to both sides', async () => {
    const { tracker, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    await engine.sync();
    const result = await engine.sync({ resolutions: [resolution('agreed title')] });
    expect(result.appliedResolutions).toEqual(['r1']);
    expect(tracker.issues.get(KEY)?.title).toBe('agreed title');
    expect((await store.getIssue(ref('T-1')))?.title).toBe('agreed title');
  });

  it('applies a resolution for a field no longer in conflict when its value differs', async () => {
    const { tracker, connector, store, engine } = await world();
    connector.reset();
    const result = await engine.sync({
      resolutions: [{ id: 'r2', issueRef: ref('T-2'), fieldName: 'labels', value: ['decided'] }],
    });
    expect(result.appliedResolutions).toEqual(['r2']);
    expect(tracker.issues.get('memory:demo:T-2')?.labels).toEqual(['decided']);
    expect((await store.getIssue(ref('T-2')))?.labels).toEqual(['decided']);
    // A resolution both sides already hold is reported applied without a write.
    connector.reset();
    const again = await engine.sync({
      resolutions: [{ id: 'r3', issueRef: ref('T-2'), fieldName: 'labels', value: ['decided'] }],
    });
    expect(again.appliedResolutions).toEqual(['r3']);
    expect(connector.writes()).toBe(0);
  });

  it('never re-creates an issue the tracker no longer has just to apply a resolution', async () => {
    const { tracker, connector, engine } = await world();
    tracker.issues.delete('memory:demo:T-2');
    connector.reset();
    const result = await engine.push({
      resolutions: [{ id: 'r4', issueRef: ref('T-2'), fieldName: 'title', value: 'decided' }],
    });
    expect(result.appliedResolutions).toEqual([]);
    expect(connector.writes()).toBe(0);
    expect(tracker.issues.has('memory:demo:T-2')).toBe(false);
  });

  it('a pull alone applies the value locally but leaves the resolution to the push that sends it', async () => {
    const { tracker, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    const pulled = await engine.pull({ resolutions: [resolution('local title')] });
    expect(pulled.conflicts).toEqual([]);
    expect(pulled.appliedResolutions).toEqual([]);
    expect((await store.getIssue(ref('T-1')))?.title).toBe('local title');
    const pushed = await engine.push({ resolutions: [resolution('local title')] });
    expect(pushed.appliedResolutions).toEqual(['r1']);
    expect(tracker.issues.get(KEY)?.title).toBe('local title');
  });

  it('reports an unusable resolution as a failure and applies nothing for it', async () => {
    const { tracker, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    const result = await engine.sync({
      resolutions: [resolution('', 'bad-title'), resolution('x', 'bad-field', 'nonsense')],
    });
    expect(result.appliedResolutions).toEqual([]);
    expect(result.errors).toEqual([
      'update[memory:demo:T-1]: resolution bad-title: CanonicalIssue.title must not be empty',
      "update[memory:demo:T-1]: resolution bad-field: 'nonsense' is not a syncable field (one of title, body, status, issueType, priority, assignees, labels, parent, links, customFields)",
    ]);
    expect(result.conflicts.map((conflict) => conflict.pending)).toEqual([true]);
    expect(tracker.issues.get(KEY)?.title).toBe('colleague title');
  });

  it('plans resolutions exactly as the run applies them', async () => {
    const { connector, store, engine, conflictOnTitle } = await world();
    await conflictOnTitle();
    const resolutions = [resolution('agreed title')];
    const before = await store.getIssue(ref('T-1'));
    const plan = await engine.plan({ resolutions });
    expect(connector.writes()).toBe(0);
    expect(await store.getIssue(ref('T-1'))).toEqual(before);
    const result = await engine.sync({ resolutions });
    expect(plan.result.appliedResolutions).toEqual(result.appliedResolutions);
    expect(plan.writes.filter((write) => write.target === 'remote')).toEqual([
      expect.objectContaining({ action: 'update', patch: { title: 'agreed title' } }),
    ]);
  });

  it('strict manual review still throws after the run, and the tracker keeps the colleague edit', async () => {
    const { tracker, engine, conflictOnTitle } = await world({ strictManualReview: true });
    await conflictOnTitle();
    await expect(engine.sync()).rejects.toThrow(SyncConflictError);
    expect(tracker.issues.get(KEY)?.title).toBe('colleague title');
    // A resolution lets the strict engine through.
    const result = await engine.sync({ resolutions: [resolution('local title')] });
    expect(result.appliedResolutions).toEqual(['r1']);
  });

  it("keeps the original's behaviour with useSyncBase: false (local written, then flagged)", async () => {
    const { tracker, engine, conflictOnTitle } = await world({ useSyncBase: false });
    await conflictOnTitle();
    const result = await engine.sync();
    expect(result.conflicts.map((conflict) => [conflict.fieldName, conflict.pending])).toContainEqual([
      'title',
      false,
    ]);
    expect(tracker.issues.get(KEY)?.title).toBe('local title');
  });

  it('applies a resolution in the original mode too', async () => {
    const { tracker, store, engine, conflictOnTitle } = await world({ useSyncBase: false });
    await conflictOnTitle();
    const result = await engine.sync({ resolutions: [resolution('agreed title')] });
    expect(result.appliedResolutions).toEqual(['r1']);
    expect(tracker.issues.get(KEY)?.title).toBe('agreed title');
    expect((await store.getIssue(ref('T-1')))?.title).toBe('agreed title');
  });
});
