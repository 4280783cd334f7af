import {
  CanonicalIssueType,
  CanonicalStatus,
  createCheckpoint,
  createIssue,
  createLink,
  createRef,
  createTombstone,
  type ExternalRef,
  type IssueStore,
  issuesEqual,
  type JsonValue,
  LinkType,
  ModelValidationError,
  SpecKittyTrackerError,
  supportsBatching,
  supportsCheckpoints,
  supportsSyncBase,
  supportsTombstones,
  supportsUnsyncedListing,
  type TombstoneRecord,
} from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface IssueStoreUnderTest {
  store: IssueStore;
  /** Releases resources (close the database, remove temp files). */
  cleanup?: () => Promise<void> | void;
}

export interface IssueStoreConformanceOptions {
  /** Suite title, e.g. 'SqliteIssueStore'. */
  name: string;
  /** A fresh, empty store per test. */
  factory: () => Promise<IssueStoreUnderTest> | IssueStoreUnderTest;
  /** Require the optional SyncBaseStore / CheckpointStore capabilities (default: test them when present). */
  requireSyncBase?: boolean;
  requireCheckpoints?: boolean;
  /** Require the optional TombstoneStore capability (default: test it when present). */
  requireTombstones?: boolean;
}

function tombstone(ref: ExternalRef, overrides: Partial<TombstoneRecord> = {}): TombstoneRecord {
  return {
    ref,
    reason: 'deleted',
    movedTo: null,
    observedAt: '2026-03-01T10:00:00.000Z',
    origin: 'remote',
    pushed: true,
    ...overrides,
  };
}

function tombstoneIds(records: readonly TombstoneRecord[]): string[] {
  return records.map((record) => `${record.ref.system}:${record.ref.id}`);
}

function sampleIssue(system: string, id: string, overrides: Partial<Parameters<typeof createIssue>[0]> = {}) {
  return createIssue({
    ref: createRef({ system, workspace: 'ws', id, key: `K-${id}`, url: `https://example.test/${id}` }),
    title: `Issue ${id}`,
    body: `Body of ${id}\nwith two lines`,
    status: CanonicalStatus.IN_PROGRESS,
    issueType: CanonicalIssueType.BUG,
    priority: 1,
    assignees: ['alice', 'bob'],
    labels: ['backend', 'p1'],
    parent: createRef({ system, workspace: 'ws', id: 'parent' }),
    links: [
      createLink({
        type: LinkType.BLOCKED_BY,
        target: createRef({ system, workspace: 'ws', id: 'blocker' }),
      }),
    ],
    customFields: { nested: { list: [1, 'two', null, { deep: true }] }, unicode: 'héllo ✓' },
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-02-03T04:05:06.789Z'),
    raw: { vendor: { id: 7 } },
    ...overrides,
  });
}

/** The behaviour every IssueStore must have (the original's LocalIssueStore contract, §7 of the spec). */
export function runIssueStoreConformance(options: IssueStoreConformanceOptions): void {
  describe(`IssueStore conformance: ${options.name}`, () => {
    let subject: IssueStoreUnderTest;
    beforeEach(async () => {
      subject = await options.factory();
    });
    afterEach(async () => {
      await subject.cleanup?.();
    });

    it('starts empty and returns null for a missing issue', async () => {
      expect(await subject.store.listIssues()).toEqual([]);
      expect(
        await subject.store.getIssue(createRef({ system: 's', workspace: 'w', id: 'missing' })),
      ).toBeNull();
    });

    it('round-trips every field exactly (timestamps to the millisecond, nested custom fields, raw)', async () => {
      const issue = sampleIssue('jira', 'A-1');
      await subject.store.upsertIssue(issue);
      const loaded = await subject.store.getIssue(issue.ref);
      expect(loaded).not.toBeNull();
      expect(issuesEqual(loaded!, issue)).toBe(true);
      expect(loaded!.updatedAt?.toISOString()).toBe('2026-02-03T04:05:06.789Z');
    });

    it('keeps nulls and empty collections as they were', async () => {
      const issue = sampleIssue('jira', 'A-2', {
        body: null,
        priority: null,
        assignees: [],
        labels: [],
        parent: null,
        links: [],
        customFields: {},
        createdAt: null,
        updatedAt: null,
        raw: null,
      });
      await subject.store.upsertIssue(issue);
      expect(issuesEqual((await subject.store.getIssue(issue.ref))!, issue)).toBe(true);
    });

    it('lists sorted by identity in code-point order and filters by system', async () => {
      for (const id of ['I-2', 'I-10', 'I-1']) await subject.store.upsertIssue(sampleIssue('jira', id));
      await subject.store.upsertIssue(sampleIssue('github', 'I-3'));
      const all = await subject.store.listIssues();
      expect(all.map((issue) => `${issue.ref.system}:${issue.ref.id}`)).toEqual([
        'github:I-3',
        'jira:I-1',
        'jira:I-10',
        'jira:I-2',
      ]);
      const jira = await subject.store.listIssues({ system: 'jira' });
      expect(jira.map((issue) => issue.ref.id)).toEqual(['I-1', 'I-10', 'I-2']);
      expect(await subject.store.listIssues({ system: 'linear' })).toEqual([]);
    });

    it('replaces by identity on upsert, even when key or url changed', async () => {
      const first = sampleIssue('jira', 'R-1');
      await subject.store.upsertIssue(first);
      const second = sampleIssue('jira', 'R-1', {
        ref: createRef({ system: 'jira', workspace: 'ws', id: 'R-1', key: 'NEW-KEY', url: null }),
        title: 'Renamed',
      });
      await subject.store.upsertIssue(second);
      const all = await subject.store.listIssues();
      expect(all).toHaveLength(1);
      expect(all[0]?.title).toBe('Renamed');
      expect(all[0]?.ref.key).toBe('NEW-KEY');
    });

    it('deletes, and ignores deleting a missing issue', async () => {
      const issue = sampleIssue('jira', 'D-1');
      await subject.store.upsertIssue(issue);
      await subject.store.deleteIssue(issue.ref);
      expect(await subject.store.getIssue(issue.ref)).toBeNull();
      await expect(subject.store.deleteIssue(issue.ref)).resolves.toBeUndefined();
    });

    it('never lets a caller change the stored copy', async () => {
      const issue = sampleIssue('jira', 'X-1');
      // A look-alike createIssue did not build: its lists stay the caller's and may change later.
      const lookalike = {
        ...issue,
        labels: [...issue.labels],
        customFields: structuredClone(issue.customFields) as Record<string, JsonValue>,
      };
      await subject.store.upsertIssue(lookalike);
      lookalike.labels.push('mutated-after-upsert');
      (lookalike.customFields.nested as { list: unknown[] }).list.push('mutated');
      const loaded = await subject.store.getIssue(issue.ref);
      expect(loaded?.labels).toEqual(['backend', 'p1']);
      // Issues handed out are immutable (frozen) or private copies: either way the store keeps its own.
      try {
        (loaded!.labels as string[]).push('mutated-after-get');
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
      }
      const again = await subject.store.getIssue(issue.ref);
      expect(again?.labels).toEqual(['backend', 'p1']);
      expect((again!.customFields.nested as { list: unknown[] }).list).toHaveLength(4);
    });

    it('keeps sync bases apart from issues (three-way merge capability)', async (context) => {
      if (!supportsSyncBase(subject.store)) {
        expect(options.requireSyncBase ?? false).toBe(false);
        context.skip();
        return;
      }
      const store = subject.store;
      const base = sampleIssue('jira', 'B-1', { title: 'Base title' });
      await store.putSyncBase(base);
      expect(await store.getIssue(base.ref)).toBeNull();
      expect(issuesEqual((await store.getSyncBase(base.ref))!, base)).toBe(true);
      await store.putSyncBase(sampleIssue('jira', 'B-1', { title: 'Newer base' }));
      expect((await store.getSyncBase(base.ref))?.title).toBe('Newer base');
      await store.deleteSyncBase(base.ref);
      expect(await store.getSyncBase(base.ref)).toBeNull();
    });

    it('persists checkpoints per scope', async (context) => {
      if (!supportsCheckpoints(subject.store)) {
        expect(options.requireCheckpoints ?? false).toBe(false);
        context.skip();
        return;
      }
      const store = subject.store;
      expect(await store.getCheckpoint('github:octo/hello')).toBeNull();
      const checkpoint = createCheckpoint({
        cursor: 'page-3',
        updatedSince: new Date('2026-05-06T07:08:09.010Z'),
      });
      await store.putCheckpoint('github:octo/hello', checkpoint);
      await store.putCheckpoint('jira:PROJ', createCheckpoint({ cursor: null, updatedSince: null }));
      const loaded = await store.getCheckpoint('github:octo/hello');
      expect(loaded?.cursor).toBe('page-3');
      expect(loaded?.updatedSince?.toISOString()).toBe('2026-05-06T07:08:09.010Z');
      expect(await store.getCheckpoint('jira:PROJ')).toEqual({ cursor: null, updatedSince: null });
    });

    it('keeps a tombstone beside the issue and its sync base (idempotent put, get)', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store)) {
        expect(options.requireTombstones ?? false).toBe(false);
        context.skip();
        return;
      }
      const issue = sampleIssue('gitlab', 'T-1');
      await store.upsertIssue(issue);
      if (supportsSyncBase(store)) await store.putSyncBase(issue);
      expect(await store.getTombstone(issue.ref)).toBeNull();
      const movedTo = createRef({ system: 'gitlab', workspace: 'other', id: '9', key: 'other#9', url: null });
      await store.putTombstone(tombstone(issue.ref, { origin: 'local', pushed: false }));
      await store.putTombstone(tombstone(issue.ref, { origin: 'local', pushed: false }));
      await store.putTombstone(
        tombstone(issue.ref, { reason: 'moved', movedTo, origin: 'local', pushed: true }),
      );
      const loaded = await store.getTombstone(issue.ref);
      expect(loaded).toMatchObject({
        reason: 'moved',
        observedAt: '2026-03-01T10:00:00.000Z',
        origin: 'local',
        pushed: true,
      });
      expect(loaded?.ref).toMatchObject({ system: 'gitlab', workspace: 'ws', id: 'T-1' });
      expect(loaded?.movedTo).toMatchObject({
        system: 'gitlab',
        workspace: 'other',
        id: '9',
        key: 'other#9',
      });
      expect(await store.listTombstones()).toHaveLength(1);
      // Never a silent delete: the issue row and its base stay.
      expect(issuesEqual((await store.getIssue(issue.ref))!, issue)).toBe(true);
      if (supportsSyncBase(store)) expect(await store.getSyncBase(issue.ref)).not.toBeNull();
      // A tombstone needs no stored issue (a ref the store only knew as gone).
      const unknown = createRef({ system: 'gitlab', workspace: 'ws', id: 'never-stored' });
      await store.putTombstone(tombstone(unknown));
      expect((await store.getTombstone(unknown))?.origin).toBe('remote');
    });

    it('round-trips a tombstone exactly (moved-to ref, an observedAt with an offset)', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store)) {
        context.skip();
        return;
      }
      const moved: TombstoneRecord = {
        ...createTombstone({
          ref: createRef({
            system: 'github',
            workspace: 'octo/hello',
            id: '7',
            key: '#7',
            url: 'https://example.test/7',
          }),
          reason: 'moved',
          movedTo: createRef({
            system: 'github',
            workspace: 'octo/elsewhere',
            id: '99',
            key: '#99',
            url: null,
          }),
          observedAt: '2026-03-01T12:30:00+02:00',
        }),
        origin: 'local',
        pushed: false,
      };
      await store.putTombstone(moved);
      expect(await store.getTombstone(moved.ref)).toEqual(moved);
      expect(await store.listTombstones()).toEqual([moved]);
      expect(
        await store.getTombstone(createRef({ system: 'github', workspace: 'octo/hello', id: '8' })),
      ).toBeNull();
    });

    it('orders tombstones by the instant observedAt names, whatever its offset', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store)) {
        context.skip();
        return;
      }
      const ref = (id: string) => createRef({ system: 'github', workspace: 'ws', id });
      await store.putTombstone(tombstone(ref('a'), { observedAt: '2026-03-01T12:00:00.000Z' }));
      // 11:00Z written with an offset: a text sort would put it after 12:00Z.
      await store.putTombstone(tombstone(ref('b'), { observedAt: '2026-03-01T13:00:00+02:00' }));
      await store.putTombstone(tombstone(ref('c'), { observedAt: '2026-03-01T12:00:00.000Z' }));
      expect(tombstoneIds(await store.listTombstones())).toEqual(['github:b', 'github:a', 'github:c']);
    });

    it('rejects an invalid tombstone with a typed error and stores nothing', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store)) {
        context.skip();
        return;
      }
      const ref = createRef({ system: 'github', workspace: 'ws', id: '1' });
      await expect(
        store.putTombstone({ ...tombstone(ref), reason: 'vanished' } as unknown as TombstoneRecord),
      ).rejects.toSatisfy((error) => ModelValidationError.isInstance(error));
      await expect(
        store.putTombstone({ ...tombstone(ref), origin: 'elsewhere' } as unknown as TombstoneRecord),
      ).rejects.toSatisfy((error) => SpecKittyTrackerError.isInstance(error));
      await expect(
        store.putTombstone({ ...tombstone(ref), pushed: 'yes' } as unknown as TombstoneRecord),
      ).rejects.toSatisfy((error) => SpecKittyTrackerError.isInstance(error));
      expect(await store.listTombstones()).toEqual([]);
      expect(await store.getTombstone(ref)).toBeNull();
    });

    it('lists tombstones oldest first, then by identity, with system/origin/pushed filters', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store)) {
        context.skip();
        return;
      }
      const ref = (system: string, id: string) => createRef({ system, workspace: 'ws', id });
      await store.putTombstone(tombstone(ref('jira', 'J-2'), { observedAt: '2026-03-02T00:00:00.000Z' }));
      await store.putTombstone(tombstone(ref('jira', 'J-1'), { origin: 'local', pushed: false }));
      await store.putTombstone(tombstone(ref('github', 'G-1'), { reason: 'archived' }));
      await store.putTombstone(
        tombstone(ref('jira', 'J-3'), {
          observedAt: '2026-02-28T23:59:59.999Z',
          origin: 'local',
          pushed: true,
        }),
      );
      expect(tombstoneIds(await store.listTombstones())).toEqual([
        'jira:J-3',
        'github:G-1',
        'jira:J-1',
        'jira:J-2',
      ]);
      expect(tombstoneIds(await store.listTombstones({}))).toHaveLength(4);
      expect(tombstoneIds(await store.listTombstones({ system: 'jira' }))).toEqual([
        'jira:J-3',
        'jira:J-1',
        'jira:J-2',
      ]);
      expect(tombstoneIds(await store.listTombstones({ origin: 'local' }))).toEqual(['jira:J-3', 'jira:J-1']);
      expect(tombstoneIds(await store.listTombstones({ origin: 'local', pushed: false }))).toEqual([
        'jira:J-1',
      ]);
      expect(tombstoneIds(await store.listTombstones({ system: 'jira', pushed: true }))).toEqual([
        'jira:J-3',
        'jira:J-2',
      ]);
      expect(await store.listTombstones({ system: 'linear' })).toEqual([]);
      // Marking a local tombstone pushed moves it between the filtered listings.
      await store.putTombstone(tombstone(ref('jira', 'J-1'), { origin: 'local', pushed: true }));
      expect(await store.listTombstones({ pushed: false })).toEqual([]);
    });

    it('never lists a tombstoned issue as unsynced (it is not pushed as an edit)', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store) || !supportsUnsyncedListing(store) || !supportsSyncBase(store)) {
        context.skip();
        return;
      }
      const kept = sampleIssue('linear', 'U-1');
      const gone = sampleIssue('linear', 'U-2');
      const edited = sampleIssue('linear', 'U-3');
      for (const issue of [kept, gone, edited]) {
        await store.upsertIssue(issue);
        await store.putSyncBase(issue);
      }
      await store.upsertIssue(sampleIssue('linear', 'U-2', { title: 'Edited, then deleted locally' }));
      await store.upsertIssue(sampleIssue('linear', 'U-3', { title: 'Edited' }));
      await store.upsertIssue(sampleIssue('linear', 'U-4'));
      await store.putTombstone(tombstone(gone.ref, { origin: 'local', pushed: false }));
      await store.putTombstone(tombstone(sampleIssue('linear', 'U-4').ref));
      const listed = await store.listUnsyncedIssues({ system: 'linear' });
      expect(listed.unsynced.map(({ issue }) => issue.ref.id)).toEqual(['U-3']);
      // Their rows are kept, so the total still counts them.
      expect(listed.total).toBe(4);
      // The tombstoned issues are still in the store.
      expect((await store.getIssue(gone.ref))?.title).toBe('Edited, then deleted locally');
      expect(await store.listIssues({ system: 'linear' })).toHaveLength(4);
    });

    it('writes tombstones in a batch: all with the batch, none when it throws', async (context) => {
      const store = subject.store;
      if (!supportsTombstones(store) || !supportsBatching(store)) {
        context.skip();
        return;
      }
      const committed = sampleIssue('azure', '1');
      await store.batch(async () => {
        await store.upsertIssue(committed);
        await store.putTombstone(tombstone(committed.ref));
      });
      expect(await store.getTombstone(committed.ref)).not.toBeNull();
      expect(await store.getIssue(committed.ref)).not.toBeNull();
      const rolledBack = sampleIssue('azure', '2');
      await expect(
        store.batch(async () => {
          await store.upsertIssue(rolledBack);
          await store.putTombstone(tombstone(rolledBack.ref));
          await store.putTombstone(tombstone(committed.ref, { reason: 'archived' }));
          throw new Error('page failed');
        }),
      ).rejects.toThrow('page failed');
      expect(await store.getTombstone(rolledBack.ref)).toBeNull();
      expect(await store.getIssue(rolledBack.ref)).toBeNull();
      expect((await store.getTombstone(committed.ref))?.reason).toBe('deleted');
    });
  });
}
