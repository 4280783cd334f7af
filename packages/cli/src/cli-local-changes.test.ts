import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

type Remote = { ref: { id: string }; title: string; labels: string[]; status: string; issue_type: string };
const remoteIssues = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Remote[];
type RunJson = { stats: Record<string, number>; failures: unknown[] };

describe('the documented flow with the default policy', () => {
  it('init, pull, edit, push sends the edit', async () => {
    const trackerFile = await initFileTracker(dir, [], [{ id: 'T-1', title: 'First' }]);
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    const edit = await runCli(['edit', 'T-1', '--title', 'Edited locally'], { cwd: dir });
    expect(edit.code, edit.stderr).toBe(ExitCode.OK);
    expect(edit.stderr).not.toContain('warning');
    expect(edit.stdout).toContain('`spec-kitty-tracker push` sends title');
    const push = await runCli(['--json', 'push'], { cwd: dir });
    expect(push.code, push.stdout).toBe(ExitCode.OK);
    expect(push.json<RunJson>().stats).toMatchObject({ pushedUpdated: 1, skipped: 0 });
    expect(remoteIssues(trackerFile)[0]?.title).toBe('Edited locally');
  });
});

describe('edit under a policy that gives the field to the tracker', () => {
  it('warns up front, naming the field and how to change the owner', async () => {
    await initFileTracker(dir, ['--policy', 'external'], [{ id: 'T-1', title: 'First' }]);
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    const edit = await runCli(['edit', 'T-1', '--title', 'Mine', '--add-label', 'x'], { cwd: dir });
    expect(edit.code).toBe(ExitCode.OK);
    expect(edit.stderr).toContain(
      'warning: title is owned by the tracker (policy external_authoritative): push will not send this change',
    );
    expect(edit.stderr).toContain('warning: labels is owned by the tracker');
    expect(edit.stdout).toContain('push will not send it (the tracker owns title, labels)');
    const json = await runCli(['--json', 'edit', 'T-1', '--status', 'done'], { cwd: dir });
    expect(json.json()).toMatchObject({ changedFields: ['status'], trackerOwnedFields: ['status'] });
  });

  it('warns only for the fields the tracker owns under a split policy', async () => {
    await initFileTracker(
      dir,
      ['--policy', 'split', '--owner', 'body=external'],
      [{ id: 'T-1', title: 'A' }],
    );
    await runCli(['pull'], { cwd: dir });
    const edit = await runCli(['edit', 'T-1', '--title', 'B', '--body', 'text'], { cwd: dir });
    expect(edit.stderr).toContain(
      'warning: body is owned by the tracker (policy split_ownership, --owner body=external)',
    );
    expect(edit.stderr).not.toContain('title is owned');
    expect(edit.stdout).toContain('sends title to file-tracker');
  });
});

describe('issues create', () => {
  it('creates a local issue that the next push creates on the tracker, once', async () => {
    const trackerFile = await initFileTracker(dir, [], [{ id: 'T-1', title: 'First' }]);
    const create = await runCli(
      [
        '--json',
        'issues',
        'create',
        '--title',
        'Ship the CLI',
        '--body',
        'All of it.',
        '--label',
        'cli',
        '--label',
        'p1',
        '--status',
        'in_progress',
        '--type',
        'bug',
      ],
      { cwd: dir },
    );
    expect(create.code, create.stderr).toBe(ExitCode.OK);
    expect(create.json()).toMatchObject({
      willBeCreated: true,
      issue: { title: 'Ship the CLI', labels: ['cli', 'p1'], status: 'in_progress', issue_type: 'bug' },
    });
    const listed = await runCli(['--json', 'issues'], { cwd: dir });
    expect(listed.json<{ issues: { title: string }[] }>().issues.map((i) => i.title)).toContain(
      'Ship the CLI',
    );

    const push = await runCli(['--json', 'push'], { cwd: dir });
    expect(push.code, push.stdout).toBe(ExitCode.OK);
    expect(push.json<RunJson>().stats.pushedCreated).toBe(1);
    const created = remoteIssues(trackerFile).filter((issue) => issue.title === 'Ship the CLI');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ labels: ['cli', 'p1'], status: 'in_progress', issue_type: 'bug' });

    const again = await runCli(['--json', 'sync'], { cwd: dir });
    expect(again.json<RunJson>().stats).toMatchObject({ pushedCreated: 0, pushedUpdated: 0 });
    expect(remoteIssues(trackerFile).filter((issue) => issue.title === 'Ship the CLI')).toHaveLength(1);

    // This tracker kept the local id: a later edit updates that issue, it is not created again.
    const id = created[0]!.ref.id;
    expect(id).toMatch(/^new~[0-9a-f]{8}$/);
    expect((await runCli(['edit', id, '--title', 'Ship the CLI today'], { cwd: dir })).code).toBe(
      ExitCode.OK,
    );
    const update = await runCli(['--json', 'push'], { cwd: dir });
    expect(update.code, update.stdout).toBe(ExitCode.OK);
    expect(update.json<RunJson>().stats).toMatchObject({ pushedCreated: 0, pushedUpdated: 1 });
    expect(
      remoteIssues(trackerFile)
        .map((issue) => issue.title)
        .sort(),
    ).toEqual(['First', 'Ship the CLI today']);
  });

  it('refuses a missing title and bad values; warns when the policy will not create it', async () => {
    await initFileTracker(dir, ['--policy', 'external']);
    expect((await runCli(['issues', 'create'], { cwd: dir })).stderr).toContain('needs --title');
    const status = await runCli(['issues', 'create', '--title', 'x', '--status', 'wip'], { cwd: dir });
    expect(status.code).toBe(ExitCode.USAGE);
    expect(status.stderr).toContain('--status must be one of todo, in_progress');
    const type = await runCli(['issues', 'create', '--title', 'x', '--type', 'feature'], { cwd: dir });
    expect(type.code).toBe(ExitCode.USAGE);
    expect(type.stderr).toContain('--type must be one of epic, story');
    const external = await runCli(['issues', 'create', '--title', 'x'], { cwd: dir });
    expect(external.code).toBe(ExitCode.OK);
    expect(external.stderr).toContain('push will not create');
  });
});
