import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

type Remote = { title: string; updated_at: string };
const remote = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Remote[];
type ConflictJson = { id: number; pending: boolean; fieldName: string; resolution: unknown };

/** T-1's title edited on both sides under manual review: the sync leaves it pending. */
async function pendingTitleConflict() {
  const trackerFile = await initFileTracker(
    dir,
    ['--strategy', 'manual_review'],
    [{ id: 'T-1', title: 'One' }],
  );
  expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
  await runCli(['edit', 'T-1', '--title', 'Local title'], { cwd: dir });
  const state = remote(trackerFile);
  state[0]!.title = 'Remote title';
  state[0]!.updated_at = '2030-01-01T00:00:00.000Z';
  writeFileSync(trackerFile, JSON.stringify(state));
  const sync = await runCli(['--json', 'sync'], { cwd: dir });
  expect(sync.code, sync.stdout).toBe(ExitCode.CONFLICTS);
  expect(sync.json<{ conflicts: unknown[] }>().conflicts).toContainEqual(
    expect.objectContaining({ field: 'title', pending: true, manualReviewRequired: true }),
  );
  // Written to neither side until decided.
  expect(remote(trackerFile)[0]!.title).toBe('Remote title');
  const local = await runCli(['--json', 'issues'], { cwd: dir });
  expect(local.json<{ issues: { title: string }[] }>().issues[0]!.title).toBe('Local title');
  const list = await runCli(['--json', 'conflicts'], { cwd: dir });
  expect(list.code).toBe(ExitCode.CONFLICTS);
  const [conflict] = list.json<{ conflicts: ConflictJson[] }>().conflicts;
  expect(conflict).toMatchObject({ fieldName: 'title', pending: true, resolution: null });
  return { trackerFile, id: conflict!.id };
}

describe('conflicts resolve', () => {
  it('--take local: conflicts stops exiting 4, and the next sync writes the local value to both sides', async () => {
    const { trackerFile, id } = await pendingTitleConflict();
    const resolve = await runCli(['conflicts', 'resolve', String(id), '--take', 'local'], { cwd: dir });
    expect(resolve.code, resolve.stderr).toBe(ExitCode.OK);
    expect(resolve.stdout).toContain(`Conflict ${id} (file-tracker:files:T-1 title) resolved to Local title`);
    const decided = await runCli(['conflicts'], { cwd: dir });
    expect(decided.code).toBe(ExitCode.OK);
    const status = await runCli(['--json', 'status'], { cwd: dir });
    expect(status.json()).toMatchObject({ store: { openConflicts: 1, conflictsNeedingReview: 0 } });
    expect(decided.stdout).toContain('resolved: next sync applies it');

    const sync = await runCli(['--json', 'sync'], { cwd: dir });
    expect(sync.code, sync.stdout).toBe(ExitCode.OK);
    expect(sync.json<{ appliedResolutions: string[] }>().appliedResolutions).toEqual([String(id)]);
    expect(remote(trackerFile)[0]!.title).toBe('Local title');
    const all = await runCli(['--json', 'conflicts', '--all'], { cwd: dir });
    expect(all.json<{ conflicts: ConflictJson[] }>().conflicts).toContainEqual(
      expect.objectContaining({ id, resolution: expect.objectContaining({ value: 'Local title' }) }),
    );
    expect((await runCli(['conflicts'], { cwd: dir })).code).toBe(ExitCode.OK);
    const again = await runCli(['--json', 'sync'], { cwd: dir });
    expect(again.code).toBe(ExitCode.OK);
    expect(again.json()).toMatchObject({ conflicts: [], appliedResolutions: [] });
  });

  it('--value: a value of its own reaches both sides', async () => {
    const { trackerFile, id } = await pendingTitleConflict();
    const resolve = await runCli(['conflicts', 'resolve', String(id), '--value', '"Agreed title"'], {
      cwd: dir,
    });
    expect(resolve.code, resolve.stderr).toBe(ExitCode.OK);
    expect((await runCli(['sync'], { cwd: dir })).code).toBe(ExitCode.OK);
    expect(remote(trackerFile)[0]!.title).toBe('Agreed title');
    const local = await runCli(['--json', 'issues'], { cwd: dir });
    expect(local.json<{ issues: { title: string }[] }>().issues[0]!.title).toBe('Agreed title');
  });

  it('refuses unknown ids, conflicts that are not pending, and missing decisions', async () => {
    const { id } = await pendingTitleConflict();
    const unknown = await runCli(['conflicts', 'resolve', '9999', '--take', 'local'], { cwd: dir });
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toContain('No conflict with id 9999');
    const none = await runCli(['conflicts', 'resolve', String(id)], { cwd: dir });
    expect(none.code).toBe(ExitCode.USAGE);
    expect(none.stderr).toContain('needs either --take local|tracker or --value JSON');
    const side = await runCli(['conflicts', 'resolve', String(id), '--take', 'remote'], { cwd: dir });
    expect(side.stderr).toContain('--take must be local or tracker');
    await runCli(['conflicts', '--ack', String(id)], { cwd: dir });
    const acked = await runCli(['conflicts', 'resolve', String(id), '--take', 'local'], { cwd: dir });
    expect(acked.code).toBe(ExitCode.USAGE);
    expect(acked.stderr).toContain(`Conflict ${id}`);
    expect(acked.stderr).toContain('cannot be resolved');
  });
});

describe('local changes a policy discards', () => {
  it('are listed in the result and --json, with a warning line each', async () => {
    const trackerFile = await initFileTracker(dir, ['--policy', 'external'], [{ id: 'T-1', title: 'First' }]);
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    await runCli(['edit', 'T-1', '--title', 'Mine'], { cwd: dir });
    const push = await runCli(['--json', 'push'], { cwd: dir });
    expect(push.json()).toMatchObject({
      discarded: [
        {
          issue: 'file-tracker:files:T-1',
          field: 'title',
          localValue: 'Mine',
          keptValue: 'First',
          reason: 'ownership',
        },
      ],
    });
    expect(remote(trackerFile)[0]!.title).toBe('First');
    await runCli(['edit', 'T-1', '--title', 'Mine again'], { cwd: dir });
    const text = await runCli(['sync'], { cwd: dir });
    expect(text.stderr).toContain('warning: 1 local change(s) were not sent');
    expect(text.stderr).toContain(
      'file-tracker:files:T-1 title: local "Mine again" discarded, kept "First" (the tracker owns the field)',
    );
  });
});
