import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CanonicalIssueType, CanonicalStatus, createIssue, createRef, issueToJSON } from '@spec-kitty/core';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { BUILT_BIN, FILE_TRACKER_URL, runBuiltCli, tempProject } from './test-support';

// The built CLI (dist/bin.js) as a subprocess, the way users and scripts run it.

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

function seedTracker(file: string, ids: string[]): void {
  const issues = ids.map((id) =>
    issueToJSON(
      createIssue({
        ref: createRef({ system: 'file-tracker', workspace: 'files', id, key: id }),
        title: `Issue ${id}`,
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
        updatedAt: new Date('2026-01-01T00:00:00.000Z'),
      }),
    ),
  );
  writeFileSync(file, JSON.stringify(issues));
}

describe('built CLI end to end', () => {
  it('runs the demo with no configuration at all', async () => {
    const run = await runBuiltCli(['demo'], { cwd: dir });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    expect(run.stdout).toContain('Round 2: sync merges both sides');
    expect(run.stdout).toMatch(
      /memory:demo:DEMO-2\s+title\s+Write the sync engine \(three-way\)\s+Write the sync engine in TypeScript\s+Write the sync engine in TypeScript\s+newer_timestamp/,
    );
    expect(run.stdout).toContain('Demo finished: both sides agree and a repeat sync changes nothing.');
    // Not a TTY: plain progress lines, no escape codes.
    expect(run.stderr).not.toContain('\x1b[');
  });

  it('binds, pulls, pushes a local edit through the store API, and re-runs as a no-op', async () => {
    const trackerFile = join(dir, 'tracker.json');
    seedTracker(trackerFile, ['A-1', 'A-2', 'A-3']);
    const bind = await runBuiltCli(
      [
        'bind',
        '--provider',
        'file-tracker',
        '--connector-package',
        FILE_TRACKER_URL,
        '--set',
        `file=${trackerFile}`,
        '--policy',
        'split',
      ],
      { cwd: dir },
    );
    expect(bind.code, bind.stderr).toBe(ExitCode.OK);
    const pull = await runBuiltCli(['--json', 'pull', '--limit', '2'], { cwd: dir });
    expect(pull.code, pull.stderr).toBe(ExitCode.OK);
    expect(pull.json()).toMatchObject({ stats: { pulledCreated: 3 } });

    // Edit through the package API, as a host application would.
    const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
    const ref = createRef({ system: 'file-tracker', workspace: 'files', id: 'A-3', key: 'A-3' });
    const local = await store.getIssue(ref);
    await store.upsertIssue({
      ...local!,
      status: CanonicalStatus.DONE,
      labels: ['shipped'],
      updatedAt: new Date(),
    });
    store.close();

    const push = await runBuiltCli(['--json', 'push'], { cwd: dir });
    expect(push.code, push.stderr).toBe(ExitCode.OK);
    expect(push.json()).toMatchObject({ stats: { pushedUpdated: 1 } });
    const remote = JSON.parse(readFileSync(trackerFile, 'utf8')).find(
      (issue: { ref: { id: string } }) => issue.ref.id === 'A-3',
    );
    expect(remote).toMatchObject({ status: 'done', labels: ['shipped'] });

    const before = readFileSync(trackerFile, 'utf8');
    const again = await runBuiltCli(['--json', 'sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(ExitCode.OK);
    expect(again.json()).toMatchObject({
      stats: { pulledCreated: 0, pulledUpdated: 0, pushedCreated: 0, pushedUpdated: 0 },
    });
    expect(readFileSync(trackerFile, 'utf8')).toBe(before);
  });

  it('serialises two concurrent sync processes on one store', async () => {
    const trackerFile = join(dir, 'tracker.json');
    seedTracker(
      trackerFile,
      Array.from({ length: 40 }, (_, index) => `C-${index}`),
    );
    await runBuiltCli(
      [
        'init',
        '--provider',
        'file-tracker',
        '--connector-package',
        FILE_TRACKER_URL,
        '--set',
        `file=${trackerFile}`,
      ],
      {
        cwd: dir,
      },
    );
    const [first, second] = await Promise.all([
      runBuiltCli(['--json', 'sync', '--wait', '60', '--limit', '5'], { cwd: dir }),
      runBuiltCli(['--json', 'sync', '--wait', '60', '--limit', '5'], { cwd: dir }),
    ]);
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    expect(second.code, second.stderr).toBe(ExitCode.OK);
    const created = [first, second]
      .map((run) => run.json<{ stats: { pulledCreated: number } }>().stats.pulledCreated)
      .sort();
    expect(created).toEqual([0, 40]);
    const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
    const runs = (await store.listRuns()).reverse();
    store.close();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[0]!.finishedAt!.getTime());
  });

  it('exits 2 with a clear message for a bad config file', async () => {
    await runBuiltCli(['init'], { cwd: dir });
    const path = join(dir, '.spec-kitty', 'tracker.json');
    writeFileSync(path, JSON.stringify({ version: 1, policy: { mode: 'whatever' } }));
    const run = await runBuiltCli(['status'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toMatch(/Invalid config .*tracker\.json: policy\.mode: must be one of/);
  });
});

/** Starts the built CLI and resolves once its stderr shows `pages` progress lines. */
function startSlowPull(cwd: string, pages: number) {
  const child = spawn(process.execPath, [BUILT_BIN, 'pull', '--limit', '1'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const progressed = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if ((stderr.match(/page\(s\)/g) ?? []).length >= pages) resolve();
    });
    void exited.then(() => reject(new Error(`CLI exited early: ${stderr}`)));
  });
  return { child, exited, progressed, stderr: () => stderr };
}

describe('interrupted runs', () => {
  async function slowProject(count: number) {
    const trackerFile = join(dir, 'tracker.json');
    seedTracker(
      trackerFile,
      Array.from({ length: count }, (_, index) => `K-${String(index).padStart(2, '0')}`),
    );
    const init = await runBuiltCli(
      [
        'init',
        '--provider',
        'file-tracker',
        '--connector-package',
        FILE_TRACKER_URL,
        '--set',
        `file=${trackerFile}`,
        '--set',
        'listDelayMs=40',
      ],
      { cwd: dir },
    );
    expect(init.code, init.stderr).toBe(ExitCode.OK);
  }

  it('keeps everything pulled before a SIGKILL, and the next run takes over the dead lock and finishes', async () => {
    await slowProject(30);
    const run = startSlowPull(dir, 5);
    await run.progressed;
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');

    const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
    const kept = await store.countIssues();
    expect(store.integrityCheck()).toBe('ok');
    expect(store.readRunLock()?.pid).toBe(run.child.pid);
    store.close();
    expect(kept).toBeGreaterThanOrEqual(4);
    expect(kept).toBeLessThan(30);

    const resumed = await runBuiltCli(['--json', 'pull'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(ExitCode.OK);
    const after = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
    expect(await after.countIssues()).toBe(30);
    expect(after.readRunLock()).toBeNull();
    after.close();
  });

  it.each([
    ['SIGINT', ExitCode.INTERRUPTED],
    ['SIGTERM', ExitCode.TERMINATED],
  ] as const)(
    'stops cleanly on %s: exit %i, one line, work so far saved, run journaled as interrupted, lock released',
    async (signal, exitCode) => {
      await slowProject(30);
      const run = startSlowPull(dir, 3);
      await run.progressed;
      const before = run.stderr().length;
      run.child.kill(signal);
      const { code } = await run.exited;
      expect(code).toBe(exitCode);
      const said = run
        .stderr()
        .slice(before)
        .split('\n')
        .filter((line) => line !== '' && !/page\(s\)/.test(line));
      expect(said).toEqual([
        expect.stringContaining(
          `pull interrupted by ${signal}: everything written before the interruption is saved`,
        ),
      ]);
      const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
      expect(await store.countIssues()).toBeGreaterThanOrEqual(2);
      expect((await store.listRuns())[0]).toMatchObject({ command: 'pull', outcome: 'interrupted' });
      expect(store.readRunLock()).toBeNull();
      store.close();
    },
  );

  it("stops waiting for another run's lock at once on SIGTERM", async () => {
    await slowProject(3);
    expect((await runBuiltCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    const holder = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
    const lock = await holder.acquireRunLock({ command: 'test holder' });
    try {
      const child = spawn(process.execPath, [BUILT_BIN, 'pull', '--wait', '600'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill('SIGTERM');
      expect(await exited).toBe(ExitCode.TERMINATED);
      expect(stderr).toContain('pull interrupted by SIGTERM');
      expect(holder.readRunLock()?.command).toBe('test holder');
    } finally {
      lock.release();
      holder.close();
    }
  }, 30_000);
});
