import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { CHILD_SCRIPT, tempDir } from './test-support';

const run = promisify(execFile);
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

describe('opening a new store from several processes at once', () => {
  it('lets every process open, migrate and write (no "database is locked")', async () => {
    for (let round = 0; round < 3; round++) {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const path = join(dir, 'fresh.db');
      const children = Array.from({ length: 6 }, (_, index) =>
        run(process.execPath, [CHILD_SCRIPT, path, 'write', `p${index}`, '1'], { timeout: 60_000 }),
      );
      const outcomes = await Promise.allSettled(children);
      const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
      const store = SqliteIssueStore.open(path);
      expect(await store.listIssues()).toHaveLength(6);
      store.close();
    }
  }, 120_000);
});
