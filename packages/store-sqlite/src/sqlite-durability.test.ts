import { join } from 'node:path';
import { createRef } from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { startChild, tempDir } from './test-support';

// These tests drive the built package (dist/) in child processes: run `pnpm build` first
// (turbo's `test` task depends on `build`).

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('durability and concurrency across processes', () => {
  it('keeps every committed upsert when the writer is killed mid-run', async () => {
    const path = join(dir, 'crash.db');
    const child = startChild([path, 'write', 'crash', 'forever']);
    try {
      await child.waitForLine((line) => line === 'committed 150', 30_000);
    } finally {
      child.child.kill('SIGKILL');
    }
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');
    const committed = child.lines.filter((line) => line.startsWith('committed ')).length;
    expect(committed).toBeGreaterThanOrEqual(151);

    const store = SqliteIssueStore.open(path);
    try {
      expect(store.integrityCheck()).toBe('ok');
      const stored = await store.listIssues({ system: 'crash' });
      // Everything the child saw committed is there (it may have committed one more before dying).
      expect(stored.length).toBeGreaterThanOrEqual(committed);
      expect(stored.length).toBeLessThanOrEqual(committed + 1);
      for (let n = 0; n < committed; n++) {
        const issue = await store.getIssue(
          createRef({ system: 'crash', workspace: 'crash', id: String(n).padStart(6, '0') }),
        );
        expect(issue?.title).toBe(`crash issue ${n}`);
      }
      // And the store is still writable after the crash.
      await store.upsertIssue({ ...stored[0]!, title: 'after crash' });
      expect((await store.getIssue(stored[0]!.ref))?.title).toBe('after crash');
    } finally {
      store.close();
    }
  });

  it('commits a tombstone with its page: after kill -9 every checkpointed page has it, no later one', async () => {
    const path = join(dir, 'tombstones.db');
    const child = startChild([path, 'pages', 'tomb']);
    try {
      await child.waitForLine((line) => line === 'page 30', 30_000);
    } finally {
      child.child.kill('SIGKILL');
    }
    expect((await child.exited).signal).toBe('SIGKILL');

    const store = SqliteIssueStore.open(path);
    try {
      expect(store.integrityCheck()).toBe('ok');
      const cursor = Number((await store.getCheckpoint('crash:tomb'))?.cursor);
      expect(cursor).toBeGreaterThanOrEqual(30);
      const ref = (page: number, n: number) =>
        createRef({ system: 'crash', workspace: 'tomb', id: `${page}-${n}` });
      const tombstones = await store.listTombstones({ system: 'crash' });
      expect(tombstones).toHaveLength(cursor + 1);
      for (let page = 0; page <= cursor; page++) {
        expect((await store.getTombstone(ref(page, 0)))?.reason).toBe('deleted');
        expect(await store.getIssue(ref(page, 0))).not.toBeNull();
        expect(await store.getIssue(ref(page, 19))).not.toBeNull();
      }
      // The page in flight when the process died left nothing: no issue, no tombstone.
      expect(await store.getIssue(ref(cursor + 1, 0))).toBeNull();
      expect(await store.getTombstone(ref(cursor + 1, 0))).toBeNull();
      expect(await store.countIssues({ system: 'crash' })).toBe((cursor + 1) * 20);
    } finally {
      store.close();
    }
  });

  it('serialises two processes writing to one database without losing or failing writes', async () => {
    const path = join(dir, 'shared.db');
    SqliteIssueStore.open(path).close();
    const writers = ['alpha', 'beta', 'gamma'].map((prefix) => startChild([path, 'write', prefix, '120']));
    const results = await Promise.all(writers.map((writer) => writer.exited));
    for (const [index, result] of results.entries()) {
      expect(result.code, writers[index]!.stderr()).toBe(0);
    }
    const store = SqliteIssueStore.open(path);
    try {
      expect(await store.countIssues({ system: 'crash' })).toBe(360);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });
});
