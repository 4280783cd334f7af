// The SQLite benchmark's call counts, store sizes and end states, as assertions (no timings).
import { join } from 'node:path';
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  cloneIssue,
  createIssue,
  createRef,
  FieldOwner,
  issuesEqual,
  OwnershipPolicy,
  SyncEngine,
  type TrackerConnector,
} from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { traceStatements } from './statement-trace';
import { githubRaw, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function githubIssues(size: number): CanonicalIssue[] {
  return Array.from({ length: size }, (_, index) => {
    const raw = githubRaw(index);
    return createIssue({
      ref: createRef({ system: 'memory', workspace: 'bench', id: `B-${String(index).padStart(5, '0')}` }),
      title: raw.title as string,
      body: raw.body as string,
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.BUG,
      labels: ['bug'],
      assignees: ['hubot'],
      updatedAt: new Date(raw.updated_at as string),
      raw,
    });
  });
}

/** Counts connector calls by method. */
function counted(inner: TrackerConnector) {
  const calls: Record<string, number> = {};
  const connector = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { connector, calls };
}

describe('engine into SQLite (bench end states and counts)', () => {
  it('cold pull, no-op sync and 10% local edits make the expected calls and writes', async () => {
    const issues = githubIssues(1000);
    const tracker = new InMemoryConnector({ name: 'memory', workspace: 'bench' });
    for (const issue of issues) tracker.seed(issue);
    const { connector, calls } = counted(tracker);
    const path = join(dir, 'store.db');
    const store = SqliteIssueStore.open(path);
    try {
      const engine = new SyncEngine({ connector, store, policy });
      const pulled = await engine.pull();
      expect(pulled.stats.pulledCreated).toBe(1000);
      expect(calls.listIssues).toBe(10);
      expect(await store.countIssues()).toBe(1000);
      const sample = (await store.getIssue(issues[123]!.ref))!;
      expect(issuesEqual(sample, issues[123]!)).toBe(true);
      expect(issuesEqual((await store.getSyncBase(issues[123]!.ref))!, issues[123]!)).toBe(true);

      for (const key of Object.keys(calls)) delete calls[key];
      const noop = await engine.sync();
      expect(noop.stats).toMatchObject({
        pulledCreated: 0,
        pulledUpdated: 0,
        pushedCreated: 0,
        pushedUpdated: 0,
      });
      // getCapabilities answers locally: the engine reads the connector's maxPageSize (none here).
      expect(calls).toEqual({ listIssues: 10, getCapabilities: 1 });

      for (let index = 0; index < issues.length; index += 10) {
        const local = (await store.getIssue(issues[index]!.ref))!;
        await store.upsertIssue(cloneIssue(local, { title: `${local.title} (edited)` }));
      }
      for (const key of Object.keys(calls)) delete calls[key];
      const edited = await engine.sync();
      expect(edited.stats.pushedUpdated).toBe(100);
      expect(calls.updateIssue).toBe(100);
      expect((await tracker.getIssue(issues[10]!.ref)).title).toMatch(/\(edited\)$/);
      expect((await store.listUnsyncedIssues({ system: 'memory' })).unsynced).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('a cold pull runs one INSERT per table, one checkpoint and one commit per page', async () => {
    const issues = githubIssues(1000);
    const tracker = new InMemoryConnector({ name: 'memory', workspace: 'bench' });
    for (const issue of issues) tracker.seed(issue);
    let counting = false;
    const statements: string[] = [];
    const untrace = traceStatements((sql) => {
      if (counting) statements.push(sql);
    });
    const store = SqliteIssueStore.open(join(dir, 'counted.db'));
    untrace();
    try {
      counting = true;
      await new SyncEngine({ connector: tracker, store, policy }).pull();
      counting = false;
      const count = (pattern: RegExp) => statements.filter((sql) => pattern.test(sql)).length;
      // 10 pages of 100: each page's issues and bases are written with one statement per table.
      expect(count(/^INSERT INTO issues /)).toBe(10);
      expect(count(/^INSERT INTO sync_bases /)).toBe(10);
      expect(count(/^INSERT INTO checkpoints /)).toBe(10);
      expect(count(/^BEGIN IMMEDIATE$/)).toBe(10);
      expect(count(/^COMMIT$/)).toBe(10);
      // The engine reads each pulled issue's local copy once; nothing else runs per issue.
      expect(count(/^SELECT identity, payload, raw FROM issues WHERE identity = /)).toBe(1000);
      expect(statements.length - 1000).toBeLessThanOrEqual(60);
      expect(await store.countIssues()).toBe(1000);
      expect(issuesEqual((await store.getSyncBase(issues[999]!.ref))!, issues[999]!)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('stores GitHub-shaped issues in under twice their raw vendor payload', async () => {
    const issues = githubIssues(500);
    const rawBytes = issues.reduce((sum, issue) => sum + Buffer.byteLength(JSON.stringify(issue.raw)), 0);
    const tracker = new InMemoryConnector({ name: 'memory', workspace: 'bench' });
    for (const issue of issues) tracker.seed(issue);
    const store = SqliteIssueStore.open(join(dir, 'size.db'));
    try {
      await new SyncEngine({ connector: tracker, store, policy }).pull();
      const stored = store.storedBytes();
      expect(stored.issues + stored.syncBases).toBeLessThan(2 * rawBytes);
      // The raw payload is stored once: the bases hold no raw of their own.
      expect(stored.syncBaseRaw).toBe(0);
      // A base equal to its issue shares its payload too: it holds its identity and content key.
      expect(stored.syncBases).toBeLessThan(issues.length * 64);
      expect(stored.issueRaw).toBe(rawBytes);
    } finally {
      store.close();
    }
  });
});
