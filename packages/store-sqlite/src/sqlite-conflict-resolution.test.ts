import { join } from 'node:path';
import {
  type ConflictRecord,
  ConflictResolutionError,
  ConflictStrategy,
  type ExternalRef,
  refIdentity,
} from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { migrate } from './sqlite-migrations';
import { sampleIssue, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
let store: SqliteIssueStore;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  store = SqliteIssueStore.open(join(dir, 'store.db'));
});

afterEach(() => {
  store.close();
  cleanup();
});

const ref1 = sampleIssue('1').ref;
const ref2 = sampleIssue('2').ref;

/** A conflict record as the engine reports it (`pending` is the field core adds). */
function conflict(fields: {
  issueRef: ExternalRef | null;
  fieldName?: string;
  localValue?: unknown;
  externalValue?: unknown;
  resolvedValue?: unknown;
  strategy?: ConflictStrategy;
  pending: boolean;
}): ConflictRecord {
  const manual = (fields.strategy ?? ConflictStrategy.MANUAL_REVIEW) === ConflictStrategy.MANUAL_REVIEW;
  return {
    fieldName: 'title',
    localValue: 'mine',
    externalValue: 'theirs',
    resolvedValue: 'base',
    strategy: ConflictStrategy.MANUAL_REVIEW,
    manualReviewRequired: manual,
    ...fields,
  } as ConflictRecord;
}

async function recordRun(conflicts: ConflictRecord[]): Promise<number> {
  const runId = await store.beginRun('sync', 'github:octo/hello');
  await store.recordConflicts(runId, conflicts);
  await store.finishRun(runId, 'conflicts');
  return runId;
}

describe('pending conflicts', () => {
  it('keeps one open row per issue and field while a pending conflict is re-detected', async () => {
    const firstRun = await recordRun([conflict({ issueRef: ref1, pending: true })]);
    await recordRun([conflict({ issueRef: ref1, pending: true, localValue: 'mine again' })]);
    await recordRun([
      conflict({ issueRef: ref1, pending: true, localValue: 'mine again' }),
      conflict({
        issueRef: ref1,
        fieldName: 'labels',
        localValue: ['a'],
        externalValue: ['b'],
        pending: true,
      }),
      conflict({ issueRef: ref2, pending: true }),
    ]);
    const open = await store.listConflicts();
    expect(open.map((c) => [c.issueIdentity, c.fieldName])).toEqual([
      [refIdentity(ref1), 'title'],
      [refIdentity(ref1), 'labels'],
      [refIdentity(ref2), 'title'],
    ]);
    expect(open[0]).toMatchObject({
      runId: firstRun,
      pending: true,
      resolution: null,
      localValue: 'mine again',
      externalValue: 'theirs',
      resolvedValue: 'base',
    });
  });

  it('adds a row per run for conflicts that are not pending', async () => {
    await recordRun([conflict({ issueRef: ref1, pending: false })]);
    await recordRun([conflict({ issueRef: ref1, pending: false })]);
    await recordRun([
      conflict({ issueRef: ref1, pending: false, strategy: ConflictStrategy.NEWER_TIMESTAMP }),
    ]);
    const open = await store.listConflicts();
    expect(open).toHaveLength(3);
    expect(open.every((c) => c.pending === false)).toBe(true);
  });

  it('treats a record without the pending field (an older core) as not pending', async () => {
    const { pending: _omitted, ...legacy } = conflict({ issueRef: ref1, pending: true }) as ConflictRecord & {
      pending: boolean;
    };
    await recordRun([legacy as ConflictRecord]);
    const [stored] = await store.listConflicts();
    expect(stored?.pending).toBe(false);
  });
});

describe('resolveConflict', () => {
  it('takes the tracker value, the local value, or a value of its own; the last decision counts', async () => {
    await recordRun([conflict({ issueRef: ref1, pending: true })]);
    const [open] = await store.listConflicts();
    const id = open!.id;
    const tracker = await store.resolveConflict(id, { take: 'tracker' });
    expect(tracker.resolution).toMatchObject({ value: 'theirs', appliedAt: null });
    expect(Number.isNaN(Date.parse(tracker.resolution!.resolvedAt))).toBe(false);
    expect((await store.resolveConflict(id, { take: 'local' })).resolution?.value).toBe('mine');
    const own = await store.resolveConflict(id, { value: { text: 'merged', n: [1, null] } });
    expect(own.resolution?.value).toEqual({ text: 'merged', n: [1, null] });
    expect(await store.getConflict(id)).toEqual(own);
    expect((await store.resolveConflict(id, { value: null })).resolution?.value).toBeNull();
  });

  it('keeps a decision when the next run re-detects the conflict before applying it', async () => {
    await recordRun([conflict({ issueRef: ref1, pending: true })]);
    const [open] = await store.listConflicts();
    await store.resolveConflict(open!.id, { take: 'local' });
    await recordRun([conflict({ issueRef: ref1, pending: true, externalValue: 'theirs v2' })]);
    const after = await store.listConflicts();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: open!.id,
      externalValue: 'theirs v2',
      resolution: { value: 'mine' },
    });
  });

  it('throws ConflictResolutionError (not_found) for an unknown id', async () => {
    const error = await store.resolveConflict(404, { take: 'local' }).catch((caught: unknown) => caught);
    expect(ConflictResolutionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ conflictId: 404, reason: 'not_found' });
    expect(String(error)).toMatch(/Conflict 404 does not exist/);
    expect(await store.getConflict(404)).toBeNull();
  });

  it('throws ConflictResolutionError (not_pending) for conflicts that are not pending manual-review ones', async () => {
    await recordRun([
      conflict({ issueRef: ref1, pending: false }),
      conflict({
        issueRef: ref1,
        fieldName: 'body',
        strategy: ConflictStrategy.NEWER_TIMESTAMP,
        pending: false,
      }),
      conflict({ issueRef: ref2, pending: true }),
    ]);
    const [manualWritten, newer, pending] = await store.listConflicts();
    await store.acknowledgeConflicts([pending!.id]);
    for (const [row, pattern] of [
      [manualWritten, /not pending/],
      [newer, /newer_timestamp strategy already settled it/],
      [pending, /acknowledged/],
    ] as const) {
      const error = await store
        .resolveConflict(row!.id, { take: 'tracker' })
        .catch((caught: unknown) => caught);
      expect(ConflictResolutionError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ conflictId: row!.id, reason: 'not_pending' });
      expect(String(error)).toMatch(pattern);
    }
  });
});

describe('listPendingResolutions and markResolutionsApplied', () => {
  it('hands decided resolutions to the engine, then marks them applied and acknowledged', async () => {
    const gitlabRef = { ...ref1, system: 'gitlab', workspace: 'group/project' };
    await recordRun([
      conflict({ issueRef: ref1, pending: true }),
      conflict({
        issueRef: ref2,
        fieldName: 'labels',
        localValue: ['a'],
        externalValue: ['b'],
        pending: true,
      }),
      conflict({ issueRef: gitlabRef, pending: true }),
      conflict({ issueRef: ref2, pending: true }),
    ]);
    const [c1, c2, c3] = await store.listConflicts();
    expect(await store.listPendingResolutions()).toEqual([]);
    await store.resolveConflict(c1!.id, { take: 'tracker' });
    await store.resolveConflict(c2!.id, { value: ['a', 'b'] });
    await store.resolveConflict(c3!.id, { take: 'local' });

    expect(await store.listPendingResolutions({ system: 'github' })).toEqual([
      { id: String(c1!.id), issueRef: ref1, fieldName: 'title', value: 'theirs' },
      { id: String(c2!.id), issueRef: ref2, fieldName: 'labels', value: ['a', 'b'] },
    ]);
    expect((await store.listPendingResolutions()).map((r) => r.id)).toEqual(
      [c1, c2, c3].map((c) => String(c!.id)),
    );

    await store.markResolutionsApplied([String(c1!.id), 'not-a-conflict-id', '999']);
    expect((await store.listPendingResolutions()).map((r) => r.id)).toEqual([String(c2!.id), String(c3!.id)]);
    const applied = await store.getConflict(c1!.id);
    expect(applied?.resolution?.appliedAt).toEqual(expect.any(String));
    expect(applied?.acknowledgedAt).toBeInstanceOf(Date);
    expect((await store.listConflicts()).map((c) => c.id)).not.toContain(c1!.id);
    await expect(store.resolveConflict(c1!.id, { take: 'local' })).rejects.toThrow(/already applied/);

    // Marking again changes nothing (the first applied time stays).
    await store.markResolutionsApplied([String(c1!.id)]);
    expect((await store.getConflict(c1!.id))?.resolution?.appliedAt).toBe(applied?.resolution?.appliedAt);
  });

  it('opens a new row when the field conflicts again after the resolution was applied', async () => {
    await recordRun([conflict({ issueRef: ref1, pending: true })]);
    const [first] = await store.listConflicts();
    await store.resolveConflict(first!.id, { take: 'tracker' });
    await store.markResolutionsApplied([String(first!.id)]);
    await recordRun([conflict({ issueRef: ref1, pending: true, localValue: 'new edit' })]);
    const open = await store.listConflicts();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ localValue: 'new edit', resolution: null });
    expect(open[0]!.id).not.toBe(first!.id);
  });
});

describe('schema 5 migration', () => {
  it('upgrades conflict rows written by schema 4 as not pending and unresolved', async () => {
    const path = join(dir, 'v4.db');
    const db = new Database(path);
    migrate(db, { target: 4 });
    db.prepare(
      "INSERT INTO runs (command, scope, started_at) VALUES ('sync', 's', '2026-01-01T00:00:00Z')",
    ).run();
    db.prepare(
      `INSERT INTO conflicts (run_id, identity, field_name, local_value, external_value, resolved_value, strategy,
        manual_review_required) VALUES (1, ?, 'title', '"a"', '"b"', '"a"', 'manual_review', 1)`,
    ).run(refIdentity(ref1));
    db.close();
    const upgraded = SqliteIssueStore.open(path);
    try {
      const [row] = await upgraded.listConflicts();
      expect(row).toMatchObject({
        fieldName: 'title',
        pending: false,
        resolution: null,
        manualReviewRequired: true,
      });
      await expect(upgraded.resolveConflict(row!.id, { take: 'local' })).rejects.toThrow(/not pending/);
    } finally {
      upgraded.close();
    }
  });
});
