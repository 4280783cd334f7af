import { join } from 'node:path';
import { type GitHubFake, startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runBuiltCli, tempProject } from './test-support';

// Deletions through the built CLI against the GitHub fake: issues deleted or transferred on the
// tracker become tombstones, `issues delete` closes the remote issue, and a failing tracker is
// never taken for a deletion.

const TOKEN = 'ghp_e2eDELETIONStoken01';
const ISSUE_ENDPOINT = 'GET /repos/{owner}/{repo}/issues/{issue_number}';
const PATCH_ENDPOINT = 'PATCH /repos/{owner}/{repo}/issues/{issue_number}';

type RunJson = {
  stats: Record<string, number>;
  tombstones: { issue: string; reason: string; movedTo: string | null }[];
  closedRemote: string[];
  failures: { issue: string | null; operation: string; text: string }[];
  exitCode: number;
};

const track = useFakes();
let dir: string;
let cleanup: () => void;
let fake: GitHubFake;
beforeEach(async () => {
  ({ dir, cleanup } = tempProject());
  fake = await track(
    startGitHubFake({
      token: TOKEN,
      owner: 'octo',
      repo: 'hello',
      repos: [{ owner: 'octo', name: 'elsewhere' }],
    }),
  );
  fake.seedIssue({ title: 'Set up CI' });
  fake.seedIssue({ title: 'Write the CLI' });
  fake.seedIssue({ title: 'Move me' });
});
afterEach(() => cleanup());

const options = () => ({ cwd: dir, env: { GITHUB_TOKEN: TOKEN } });
const cli = (args: string[]) => runBuiltCli(args, options());

async function boundAndPulled(extra: string[] = []): Promise<void> {
  const init = await cli([
    'init',
    '--provider',
    'github',
    '--workspace',
    'octo/hello',
    '--set',
    `baseUrl=${fake.url}`,
    ...extra,
  ]);
  expect(init.code, init.stderr).toBe(ExitCode.OK);
  const pull = await cli(['--json', 'pull']);
  expect(pull.code, pull.stdout + pull.stderr).toBe(ExitCode.OK);
  expect(pull.json<RunJson>().stats.pulledCreated).toBe(3);
}

async function stored() {
  const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
  try {
    return { tombstones: await store.listTombstones(), issues: await store.countIssues() };
  } finally {
    store.close();
  }
}

describe('issues deleted or moved on the tracker', () => {
  it('are reported by a full sync, kept as tombstones, hidden from `issues` and counted by `status`', async () => {
    await boundAndPulled();
    fake.deleteIssue(2);
    fake.transferIssue(3, { owner: 'octo', repo: 'elsewhere' });

    const text = await cli(['sync', '--full', '--no-progress']);
    expect(text.code, text.stdout + text.stderr).toBe(ExitCode.OK);
    expect(text.stdout).toMatch(/unchanged {2}gone {2}closed {2}conflicts/);
    expect(text.stdout).toContain('Gone from the tracker (2; kept in the store, marked gone):');
    expect(text.stdout).toContain('  github:octo/hello:2  deleted');
    expect(text.stdout).toContain('  github:octo/hello:3  moved to github:octo/elsewhere:1');

    const { tombstones, issues } = await stored();
    expect(issues).toBe(3);
    expect(tombstones.map((record) => [record.ref.id, record.reason, record.origin, record.pushed])).toEqual([
      ['2', 'deleted', 'remote', true],
      ['3', 'moved', 'remote', true],
    ]);

    // Recorded once: the next full sync finds nothing new.
    const again = await cli(['--json', 'sync', '--full']);
    expect(again.json<RunJson>()).toMatchObject({ tombstones: [], stats: { tombstoned: 0 }, failures: [] });

    const list = await cli(['--json', 'issues']);
    expect(list.json<{ issues: { ref: { id: string } }[]; hiddenGone: number }>()).toMatchObject({
      issues: [{ ref: { id: '1' } }],
      hiddenGone: 2,
    });
    const status = await cli(['--json', 'status']);
    expect(status.json<{ store: { tombstones: unknown } }>().store.tombstones).toEqual({
      remote: 2,
      localPending: 0,
      localPushed: 0,
    });
  });

  it('lists the tombstones in the JSON document of the run that recorded them', async () => {
    await boundAndPulled();
    fake.deleteIssue(1);
    const run = await cli(['--json', 'pull', '--full']);
    expect(run.code, run.stdout + run.stderr).toBe(ExitCode.OK);
    expect(run.json<RunJson>()).toMatchObject({
      stats: { tombstoned: 1, closedRemote: 0 },
      tombstones: [{ issue: 'github:octo/hello:1', reason: 'deleted', movedTo: null }],
      closedRemote: [],
    });
  });
});

describe('a tracker that fails is never taken for a deletion', () => {
  it('a 500 on the check records a failure, no tombstone; the next run records the deletion', async () => {
    await boundAndPulled();
    fake.deleteIssue(2);
    fake.server.injectFault({
      endpoint: ISSUE_ENDPOINT,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'status', status: 500 },
    });
    const failing = await cli(['--json', 'sync', '--full']);
    expect(failing.code).toBe(ExitCode.PARTIAL_FAILURE);
    const result = failing.json<RunJson>();
    expect(result.tombstones).toEqual([]);
    expect(result.failures.map((failure) => failure.operation)).toContain('check_gone');
    expect((await stored()).tombstones).toEqual([]);

    fake.server.clearFaults();
    const next = await cli(['--json', 'sync', '--full']);
    expect(next.json<RunJson>().tombstones).toMatchObject([
      { issue: 'github:octo/hello:2', reason: 'deleted' },
    ]);
  });

  it('a timeout on the check records a failure, no tombstone', async () => {
    await boundAndPulled(['--set', 'timeoutMs=300']);
    fake.deleteIssue(2);
    fake.server.injectFault({
      endpoint: ISSUE_ENDPOINT,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'timeout' },
    });
    const failing = await cli(['--json', 'sync', '--full']);
    expect(failing.code).toBe(ExitCode.PARTIAL_FAILURE);
    const result = failing.json<RunJson>();
    expect(result.tombstones).toEqual([]);
    expect(result.failures.map((failure) => failure.operation)).toContain('check_gone');
    expect((await stored()).tombstones).toEqual([]);
  });
});

describe('local drafts', () => {
  it('are never asked about by the deletion check of a full pull: the sync creates them', async () => {
    const init = await cli([
      'init',
      '--provider',
      'github',
      '--workspace',
      'octo/hello',
      '--set',
      `baseUrl=${fake.url}`,
    ]);
    expect(init.code, init.stderr).toBe(ExitCode.OK);
    const created = await cli(['issues', 'create', '--title', 'Drafted before the first pull']);
    expect(created.code, created.stderr).toBe(ExitCode.OK);
    const sync = await cli(['--json', 'sync']);
    expect(sync.code, sync.stdout + sync.stderr).toBe(ExitCode.OK);
    expect(sync.json<RunJson>()).toMatchObject({
      tombstones: [],
      stats: { pulledCreated: 3, pushedCreated: 1 },
    });
    expect(fake.issues().map((issue) => issue.title)).toContain('Drafted before the first pull');
    expect(fake.server.callCount(ISSUE_ENDPOINT)).toBe(0);
  });
});

describe('issues delete', () => {
  it('closes the remote issue as canceled on the next sync, reports it, and never again', async () => {
    await boundAndPulled();
    const deleted = await cli(['issues', 'delete', '#2']);
    expect(deleted.code, deleted.stderr).toBe(ExitCode.OK);
    expect(fake.issue(2)?.state).toBe('open');

    const text = await cli(['sync', '--no-progress']);
    expect(text.code, text.stdout + text.stderr).toBe(ExitCode.OK);
    expect(text.stdout).toContain(
      'Closed on the tracker as canceled (1 local deletion(s)):\n  github:octo/hello:2',
    );
    expect(fake.issue(2)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    const patches = fake.server.callCount(PATCH_ENDPOINT);
    expect(patches).toBe(1);

    const again = await cli(['--json', 'sync']);
    expect(again.json<RunJson>()).toMatchObject({
      closedRemote: [],
      stats: { closedRemote: 0 },
      failures: [],
    });
    expect(fake.server.callCount(PATCH_ENDPOINT)).toBe(patches);
    const status = await cli(['--json', 'status']);
    expect(status.json<{ store: { tombstones: unknown } }>().store.tombstones).toEqual({
      remote: 0,
      localPending: 0,
      localPushed: 1,
    });
  });

  it('reports a close the tracker refused as a failure, keeps the deletion pending, and pushes it later', async () => {
    await boundAndPulled();
    await cli(['issues', 'delete', '#1']);
    fake.server.injectFault({
      endpoint: PATCH_ENDPOINT,
      times: Number.POSITIVE_INFINITY,
      fault: { kind: 'status', status: 500 },
    });
    const failing = await cli(['--json', 'push']);
    // The only write of the run failed: nothing was done (exit 1), as for any other failed write.
    expect(failing.code).toBe(ExitCode.ERROR);
    const result = failing.json<RunJson>();
    expect(result.closedRemote).toEqual([]);
    expect(result.failures).toMatchObject([{ issue: 'github:octo/hello:1', operation: 'update' }]);
    expect(result.failures[0]?.text).toContain('closing the locally deleted issue as canceled failed');
    expect(fake.issue(1)?.state).toBe('open');
    expect((await stored()).tombstones).toMatchObject([{ origin: 'local', pushed: false }]);

    fake.server.clearFaults();
    const push = await cli(['--json', 'push']);
    expect(push.code, push.stdout).toBe(ExitCode.OK);
    expect(push.json<RunJson>().closedRemote).toEqual(['github:octo/hello:1']);
    expect(fake.issue(1)?.state).toBe('closed');
  });
});
