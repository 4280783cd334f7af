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

const SEED = [
  { id: 'T-1', title: 'First' },
  { id: 'T-2', title: 'Second' },
];

async function pulled(extra: string[] = []): Promise<void> {
  await initFileTracker(dir, extra, SEED);
  const pull = await runCli(['pull', '--no-progress'], { cwd: dir });
  expect(pull.code, pull.stderr).toBe(ExitCode.OK);
}

/** The tombstones the project's store keeps, read with the store's own API. */
async function storedTombstones() {
  const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
  try {
    return { tombstones: await store.listTombstones(), issues: await store.countIssues() };
  } finally {
    store.close();
  }
}

type DeleteJson = {
  issue: string;
  alreadyDeleted: boolean;
  willBeClosed?: boolean;
  tombstone: { reason: string; origin: string; pushed: boolean; movedTo: string | null };
};

describe('issues delete', () => {
  it('records a local tombstone and keeps the issue row; a second delete is a no-op', async () => {
    await pulled();
    const run = await runCli(['--json', 'issues', 'delete', 'T-1'], { cwd: dir });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    expect(run.json<DeleteJson>()).toMatchObject({
      issue: 'file-tracker:files:T-1',
      alreadyDeleted: false,
      willBeClosed: true,
      tombstone: { reason: 'deleted', origin: 'local', pushed: false, movedTo: null },
    });
    const { tombstones, issues } = await storedTombstones();
    expect(issues).toBe(2);
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).toMatchObject({ reason: 'deleted', origin: 'local', pushed: false });
    expect(tombstones[0]?.ref.id).toBe('T-1');

    const again = await runCli(['issues', 'delete', 'T-1'], { cwd: dir });
    expect(again.code).toBe(ExitCode.OK);
    expect(again.stdout).toContain('file-tracker:files:T-1 is already deleted locally');
    expect((await storedTombstones()).tombstones).toEqual(tombstones);
  });

  it('says the push closes the issue as canceled, whatever the ownership policy', async () => {
    await pulled(['--policy', 'external']);
    const run = await runCli(['issues', 'delete', 'T-2'], { cwd: dir });
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout).toContain(
      'Deleted file-tracker:files:T-2 locally (the issue stays in the store, marked gone); `spec-kitty-tracker push` closes it on file-tracker as canceled.',
    );
    expect(run.stderr).toBe('');
  });

  it('rejects an unknown reference, naming it, and a missing one', async () => {
    await pulled();
    const unknown = await runCli(['issues', 'delete', 'T-99'], { cwd: dir });
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toContain('No issue "T-99" in the local store');
    const missing = await runCli(['issues', 'delete'], { cwd: dir });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('issues delete needs exactly one issue');
    expect((await storedTombstones()).tombstones).toEqual([]);
  });

  it('marks a local draft that never reached the tracker as final (nothing to close)', async () => {
    await pulled();
    const created = await runCli(['--json', 'issues', 'create', '--title', 'Draft'], { cwd: dir });
    const draft = created.json<{ issue: { ref: { id: string } } }>().issue.ref.id;
    const run = await runCli(['--json', 'issues', 'delete', draft], { cwd: dir });
    expect(run.json<DeleteJson>()).toMatchObject({
      willBeClosed: false,
      tombstone: { origin: 'local', pushed: true },
    });
  });

  it('refuses to edit a deleted issue', async () => {
    await pulled();
    await runCli(['issues', 'delete', 'T-1'], { cwd: dir });
    const edit = await runCli(['edit', 'T-1', '--title', 'Too late'], { cwd: dir });
    expect(edit.code).toBe(ExitCode.USAGE);
    expect(edit.stderr).toContain('file-tracker:files:T-1 is deleted locally: an edit would never be pushed');
  });
});

describe('plan with a local deletion', () => {
  it('shows the close and the tombstone it would write, and changes nothing', async () => {
    await pulled();
    await runCli(['issues', 'delete', 'T-1'], { cwd: dir });
    const plan = await runCli(['--json', 'plan'], { cwd: dir });
    expect(plan.code, plan.stdout + plan.stderr).toBe(ExitCode.OK);
    expect(plan.json<{ writes: unknown[] }>().writes).toEqual([
      expect.objectContaining({
        target: 'remote',
        action: 'update',
        issue: 'file-tracker:files:T-1',
        patch: { status: 'canceled' },
      }),
      expect.objectContaining({
        target: 'local',
        action: 'tombstone',
        issue: 'file-tracker:files:T-1',
        tombstone: expect.objectContaining({ origin: 'local', pushed: true, reason: 'deleted' }),
      }),
    ]);
    const text = await runCli(['plan'], { cwd: dir });
    expect(text.stdout).toMatch(
      /local\s+tombstone\s+file-tracker:files:T-1\s+deleted locally, closed on tracker/,
    );
    expect((await storedTombstones()).tombstones).toMatchObject([{ origin: 'local', pushed: false }]);
  });
});

describe('issues list and status with tombstones', () => {
  it('hides deleted issues unless --include-gone, which adds a "gone" column', async () => {
    await pulled();
    await runCli(['issues', 'delete', 'T-1'], { cwd: dir });

    const list = await runCli(['issues'], { cwd: dir });
    expect(list.stdout).toContain('T-2');
    expect(list.stdout).not.toMatch(/^T-1\b/m);
    expect(list.stdout).toContain('1 issue(s) deleted locally or gone from the tracker are hidden');

    const all = await runCli(['issues', '--include-gone'], { cwd: dir });
    expect(all.stdout).toMatch(/^issue\s.*\sgone$/m);
    expect(all.stdout).toMatch(/^T-1\s.*deleted locally, push closes it$/m);

    type ListJson = {
      issues: { ref: { id: string }; gone: { origin: string } | null }[];
      hiddenGone: number;
    };
    const json = (await runCli(['--json', 'issues'], { cwd: dir })).json<ListJson>();
    expect(json.hiddenGone).toBe(1);
    expect(json.issues.map((issue) => [issue.ref.id, issue.gone])).toEqual([['T-2', null]]);
    const jsonAll = (await runCli(['--json', 'issues', '--include-gone'], { cwd: dir })).json<ListJson>();
    expect(jsonAll.issues.map((issue) => [issue.ref.id, issue.gone?.origin ?? null])).toEqual([
      ['T-1', 'local'],
      ['T-2', null],
    ]);
  });

  it('status counts tombstones: remote, local pending, local pushed', async () => {
    await pulled();
    await runCli(['issues', 'delete', 'T-1'], { cwd: dir });
    const status = await runCli(['--json', 'status'], { cwd: dir });
    expect(status.json<{ store: { tombstones: unknown } }>().store.tombstones).toEqual({
      remote: 0,
      localPending: 1,
      localPushed: 0,
    });
    const text = await runCli(['status'], { cwd: dir });
    expect(text.stdout).toContain(
      'gone       0 gone from the tracker, 1 deleted locally awaiting push, 0 deleted locally and closed on the tracker',
    );
  });
});

describe('did-you-mean for deletion', () => {
  it('suggests `issues delete` for a mistyped subcommand and for `delete` alone', async () => {
    await pulled();
    const typo = await runCli(['issues', 'delte', 'T-1'], { cwd: dir });
    expect(typo.code).toBe(ExitCode.USAGE);
    expect(typo.stderr).toContain('Did you mean `issues delete`?');
    const bare = await runCli(['delete', 'T-1'], { cwd: dir });
    expect(bare.code).toBe(ExitCode.USAGE);
    expect(bare.stderr).toContain('Unknown command "delete". Did you mean `issues delete`?');
  });
});

describe('--full', () => {
  it('contradicts --no-pull and --push-only', async () => {
    await pulled();
    const sync = await runCli(['sync', '--full', '--no-pull'], { cwd: dir });
    expect(sync.code).toBe(ExitCode.USAGE);
    expect(sync.stderr).toContain('sync: --full re-reads the tracker, --no-pull skips reading it');
    const plan = await runCli(['plan', '--full', '--push-only'], { cwd: dir });
    expect(plan.code).toBe(ExitCode.USAGE);
    expect(plan.stderr).toContain('plan: --full re-reads the tracker, --push-only skips reading it');
  });
});
