import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

describe('demo --db', () => {
  it('can be run again on the same store, with the same outcome', async () => {
    const first = await runCli(['--json', 'demo', '--db', 'demo.db'], { cwd: dir });
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    const second = await runCli(['--json', 'demo', '--db', 'demo.db'], { cwd: dir });
    expect(second.code, second.stdout).toBe(ExitCode.OK);
    const rounds = (run: typeof first) => (run.json() as { rounds: unknown[]; ok: boolean }).rounds;
    expect(rounds(second)).toEqual(rounds(first));
    const text = await runCli(['demo', '--db', 'demo.db'], { cwd: dir });
    expect(text.stdout).toContain(
      'Conflict: DEMO-2 title, local "Write the sync engine (three-way)" vs tracker "Write the sync engine in TypeScript"',
    );
  });

  it('refuses a store that is not a demo store, and leaves it alone', async () => {
    await initFileTracker(dir, [], [{ id: 'T-1', title: 'Real work' }]);
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    const path = join(dir, '.spec-kitty', 'tracker.db');
    const before = readFileSync(path);
    const run = await runCli(['demo', '--db', path], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('is not a demo store (it holds file-tracker:files:T-1)');
    const store = SqliteIssueStore.open(path);
    expect(await store.countIssues()).toBe(1);
    store.close();
    expect(readFileSync(path).length).toBe(before.length);
  });
});
