import {
  CanonicalIssueType,
  CanonicalStatus,
  createCheckpoint,
  createIssue,
  createLink,
  createRef,
  type IssueStore,
  issuesEqual,
  type JsonValue,
  LinkType,
  supportsCheckpoints,
  supportsSyncBase,
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
  });
}
