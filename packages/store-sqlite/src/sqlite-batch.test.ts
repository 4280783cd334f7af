import { join } from 'node:path';
import { createCheckpoint, supportsBatching } from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { sampleIssue, tempDir } from './test-support';

let dir: string;
let cleanup: () => void;
let writer: SqliteIssueStore;
let reader: SqliteIssueStore;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  writer = SqliteIssueStore.open(join(dir, 'store.db'));
  reader = SqliteIssueStore.open(join(dir, 'store.db'), { readonly: true });
});

afterEach(() => {
  writer.close();
  reader.close();
  cleanup();
});

describe('batch', () => {
  it('is the BatchingIssueStore capability the engine looks for', () => {
    expect(supportsBatching(writer)).toBe(true);
  });

  it('commits the writes of a batch together, across awaits, when it resolves', async () => {
    const result = await writer.batch(async () => {
      await writer.upsertIssue(sampleIssue('1'));
      await writer.putSyncBase(sampleIssue('1'));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await writer.upsertIssue(sampleIssue('2'));
      // Another connection sees nothing before the commit; this one sees its own writes.
      expect(await reader.countIssues()).toBe(0);
      expect(await writer.countIssues()).toBe(2);
      await writer.putCheckpoint('github:octo/hello', createCheckpoint({ cursor: '2' }));
      return 'page done';
    });
    expect(result).toBe('page done');
    expect(await reader.countIssues()).toBe(2);
    expect(await reader.getSyncBase(sampleIssue('1').ref)).not.toBeNull();
    expect((await reader.getCheckpoint('github:octo/hello'))?.cursor).toBe('2');
  });

  it('rolls every write of the batch back when it throws, and rethrows', async () => {
    await writer.upsertIssue(sampleIssue('0'));
    const failure = new Error('page failed');
    await expect(
      writer.batch(async () => {
        await writer.upsertIssue(sampleIssue('1'));
        await writer.putCheckpoint('github:octo/hello', createCheckpoint({ cursor: '1' }));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await reader.countIssues()).toBe(1);
    expect(await reader.getCheckpoint('github:octo/hello')).toBeNull();
    // The store is usable afterwards, batched or not.
    await writer.batch(async () => writer.upsertIssue(sampleIssue('2')));
    expect(await reader.countIssues()).toBe(2);
  });

  it('rolls back when rows it held back fail to write, even if another call wrote them and caught the error', async () => {
    const other = new Database(join(dir, 'store.db'));
    other.exec(
      `CREATE TRIGGER refuse_boom BEFORE INSERT ON issues WHEN NEW.external_id = 'boom'
       BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END`,
    );
    other.close();
    await expect(
      writer.batch(async () => {
        await writer.upsertIssue(sampleIssue('1'));
        await writer.upsertIssue(sampleIssue('boom'));
        // A read from outside the page writes the held rows first; it gets the failure.
        await expect(reader.countIssues()).resolves.toBe(0);
        await expect(writer.countIssues()).rejects.toThrow('refused by a trigger');
        await writer.putCheckpoint('github:octo/hello', createCheckpoint({ cursor: '1' }));
      }),
    ).rejects.toThrow('refused by a trigger');
    expect(await reader.countIssues()).toBe(0);
    expect(await reader.getCheckpoint('github:octo/hello')).toBeNull();
    await writer.batch(async () => writer.upsertIssue(sampleIssue('2')));
    expect(await reader.countIssues()).toBe(1);
  });

  it('joins an outer batch when nested; multi-statement writes inside it become savepoints', async () => {
    await expect(
      writer.batch(async () => {
        await writer.batch(async () => writer.upsertIssue(sampleIssue('1')));
        const runId = await writer.beginRun('sync', 'scope');
        await writer.recordConflicts(runId, []);
        expect(await reader.countIssues()).toBe(0);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await reader.countIssues()).toBe(0);
    expect(await reader.listRuns()).toEqual([]);
  });

  it('takes back the writes of a nested batch that throws, even when the outer batch catches it', async () => {
    await writer.batch(async () => {
      await writer.upsertIssue(sampleIssue('1'));
      await writer
        .batch(async () => {
          await writer.upsertIssue(sampleIssue('2'));
          await writer.putCheckpoint('github:octo/hello', createCheckpoint({ cursor: '2' }));
          throw new Error('inner page failed');
        })
        .catch(() => undefined);
      expect(await writer.getIssue(sampleIssue('2').ref)).toBeNull();
      await writer.batch(async () => writer.upsertIssue(sampleIssue('3')));
    });
    expect((await reader.listIssues()).map((issue) => issue.ref.id)).toEqual(['1', '3']);
    expect(await reader.getCheckpoint('github:octo/hello')).toBeNull();
  });
});
