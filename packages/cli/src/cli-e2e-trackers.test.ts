import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import {
  createBeadsWorkspace,
  createFpWorkspace,
  fakeCliEnv,
  fakeCliPaths,
} from '@spec-kitty/fake-trackers/cli';
import { type GitHubFake, startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runBuiltCli, tempProject } from './test-support';

// The built CLI as a subprocess against the fake trackers: the GitHub fake runs in this process on
// 127.0.0.1 (the CLI reaches it through `baseUrl`), the fake `bd` is a real executable.

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

type Stats = { stats: Record<string, number>; conflicts: unknown[]; failures: unknown[] };
const NO_OP = { pulledCreated: 0, pulledUpdated: 0, pushedCreated: 0, pushedUpdated: 0 };

interface RoundTrip {
  /** `init` arguments after `init`. */
  init: string[];
  env: Record<string, string>;
  /** Issues the first pull creates locally. */
  pulled: number;
  /** `edit` arguments after `edit`. */
  edit: string[];
  /** Checks the pushed edit in the fake tracker. */
  verifyRemote: () => void;
  /** The fake's count of the write the push used (it must not move on the no-op re-run). */
  remoteWrites: () => number;
  /** The credential, which must never reach the output. */
  secret: string;
}

/**
 * The main job through the built CLI against an HTTP fake: bind, pull, edit locally, push, see the
 * change in the tracker, re-run as a no-op (no tracker write), and never print the credential.
 */
async function roundTrip(steps: RoundTrip) {
  const options = { cwd: dir, env: steps.env };
  const bind = await runBuiltCli(['init', ...steps.init, '--policy', 'split'], options);
  expect(bind.code, bind.stderr).toBe(ExitCode.OK);
  const pull = await runBuiltCli(['--json', 'pull'], options);
  expect(pull.code, pull.stdout + pull.stderr).toBe(ExitCode.OK);
  expect(pull.json<Stats>().stats.pulledCreated).toBe(steps.pulled);

  const edit = await runBuiltCli(['edit', ...steps.edit], options);
  expect(edit.code, edit.stderr).toBe(ExitCode.OK);
  const push = await runBuiltCli(['--json', 'push'], options);
  expect(push.code, push.stdout + push.stderr).toBe(ExitCode.OK);
  expect(push.json<Stats>().stats.pushedUpdated).toBe(1);
  steps.verifyRemote();

  const before = steps.remoteWrites();
  expect(before).toBeGreaterThan(0);
  const again = await runBuiltCli(['--json', 'sync'], options);
  expect(again.code, again.stdout + again.stderr).toBe(ExitCode.OK);
  expect(again.json<Stats>()).toMatchObject({ stats: NO_OP, conflicts: [], failures: [] });
  expect(steps.remoteWrites()).toBe(before);
  for (const run of [bind, pull, edit, push, again])
    expect(run.stdout + run.stderr).not.toContain(steps.secret);
}

describe('GitHub (fake REST API)', () => {
  const token = 'ghp_e2eSECRETtoken0001';
  let fake: GitHubFake;
  beforeEach(async () => {
    fake = await startGitHubFake({ token, owner: 'octo', repo: 'hello' });
    fake.seedIssue({ title: 'Set up CI', labels: ['infra'] });
    fake.seedIssue({ title: 'Write the CLI' });
    fake.seedIssue({ title: 'Old bug', labels: ['bug'], state: 'closed' });
  });
  afterEach(async () => {
    fake.assertNoViolations();
    await fake.close();
  });

  it('binds, pulls, pushes a local edit, sees it in the tracker, and re-runs as a no-op', async () => {
    await roundTrip({
      init: ['--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
      env: { GITHUB_TOKEN: token },
      pulled: 3,
      edit: ['#2', '--title', 'Write the CLI (edited locally)', '--add-label', 'cli'],
      verifyRemote: () => {
        expect(fake.issue(2)).toMatchObject({ title: 'Write the CLI (edited locally)' });
        expect(fake.issue(2)?.labels).toContain('cli');
      },
      remoteWrites: () => fake.server.callCount('PATCH /repos/{owner}/{repo}/issues/{issue_number}'),
      secret: token,
    });

    // The token reached the fake but never the disk.
    for (const file of readdirSync(join(dir, '.spec-kitty'))) {
      expect(readFileSync(join(dir, '.spec-kitty', file)).toString('latin1')).not.toContain(token);
    }
  });

  it('exits 2 naming the variable when the token is missing, and 1 when the tracker rejects it', async () => {
    await runBuiltCli(
      ['init', '--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
      { cwd: dir },
    );
    const missing = await runBuiltCli(['pull'], { cwd: dir, env: {} });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('token (environment variable GITHUB_TOKEN)');
    const wrong = await runBuiltCli(['pull', '--credential', 'token=ghp_wrongWRONGwrong'], {
      cwd: dir,
      env: {},
    });
    expect(wrong.code).toBe(ExitCode.ERROR);
    expect(wrong.stderr).toMatch(/401|credentials/i);
    expect(wrong.stderr).not.toContain('ghp_wrongWRONGwrong');
  });
});

describe('Beads (fake bd executable)', () => {
  it('binds, pulls, pushes a local edit, sees it in bd, and re-runs as a no-op', async () => {
    const workspace = createBeadsWorkspace({ prefix: 'sk' });
    const bd = fakeCliPaths().bd;
    const env = fakeCliEnv(undefined, {}, { PATH: process.env.PATH ?? '' });
    for (const title of ['Plan the release', 'Write docs']) {
      execFileSync(bd, ['create', title, '--json'], { cwd: workspace.dir, env });
    }
    const ids = Object.keys((workspace.readState() as { issues: Record<string, unknown> }).issues).sort();
    expect(ids).toHaveLength(2);

    const bind = await runBuiltCli(
      [
        'init',
        '--provider',
        'beads',
        '--workspace',
        'sk',
        '--set',
        `command=${bd}`,
        '--set',
        `cwd=${workspace.dir}`,
        '--policy',
        'split',
      ],
      { cwd: dir },
    );
    expect(bind.code, bind.stderr).toBe(ExitCode.OK);
    const pull = await runBuiltCli(['--json', 'pull'], { cwd: dir });
    expect(pull.code, pull.stderr).toBe(ExitCode.OK);
    expect(pull.json<Stats>().stats.pulledCreated).toBe(2);

    const target = ids[0]!;
    const edit = await runBuiltCli(
      ['edit', target, '--title', 'Plan the release (edited)', '--status', 'in_progress'],
      { cwd: dir },
    );
    expect(edit.code, edit.stderr).toBe(ExitCode.OK);
    const push = await runBuiltCli(['--json', 'push'], { cwd: dir });
    expect(push.code, push.stderr).toBe(ExitCode.OK);
    expect(push.json<Stats>().stats.pushedUpdated).toBe(1);
    const state = workspace.readState() as { issues: Record<string, { title: string; status: string }> };
    expect(state.issues[target]).toMatchObject({ title: 'Plan the release (edited)', status: 'in_progress' });

    workspace.clearCalls();
    const again = await runBuiltCli(['--json', 'sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(ExitCode.OK);
    expect(again.json<Stats>()).toMatchObject({ stats: NO_OP, conflicts: [], failures: [] });
    const writes = workspace
      .calls()
      .filter((call) =>
        ['create', 'update', 'close'].includes(call.argv.find((arg) => !arg.startsWith('-')) ?? ''),
      );
    expect(writes).toEqual([]);
  });
});

describe('fp (fake fp executable)', () => {
  it('pulls, pushes a local status change, sees it in fp, and re-runs as a no-op', async () => {
    const workspace = createFpWorkspace({ prefix: 'FP' });
    const fp = fakeCliPaths().fp;
    const env = fakeCliEnv(undefined, {}, { PATH: process.env.PATH ?? '' });
    for (const title of ['Sketch the API', 'Review the store']) {
      execFileSync(fp, ['issue', 'create', '--title', title], { cwd: workspace.dir, env });
    }
    const bind = await runBuiltCli(
      [
        'init',
        '--provider',
        'fp',
        '--workspace',
        'fp',
        '--set',
        `command=${fp}`,
        '--set',
        `cwd=${workspace.dir}`,
        '--policy',
        'split',
      ],
      { cwd: dir },
    );
    expect(bind.code, bind.stderr).toBe(ExitCode.OK);
    const pull = await runBuiltCli(['--json', 'pull'], { cwd: dir });
    expect(pull.code, pull.stderr).toBe(ExitCode.OK);
    expect(pull.json<Stats>().stats.pulledCreated).toBe(2);
    const issues = await runBuiltCli(['--json', 'issues'], { cwd: dir });
    const target = issues.json<{ issues: { ref: { id: string } }[] }>().issues[0]!.ref.id;

    const edit = await runBuiltCli(['edit', target, '--status', 'in_progress'], { cwd: dir });
    expect(edit.code, edit.stderr).toBe(ExitCode.OK);
    const push = await runBuiltCli(['--json', 'push'], { cwd: dir });
    expect(push.code, push.stdout + push.stderr).toBe(ExitCode.OK);
    expect(push.json<Stats>().stats.pushedUpdated).toBe(1);
    const state = workspace.readState() as { issues: Record<string, { status: string }> };
    expect(state.issues[target]?.status).toBe('in-progress');

    workspace.clearCalls();
    const again = await runBuiltCli(['--json', 'sync'], { cwd: dir });
    expect(again.code, again.stdout + again.stderr).toBe(ExitCode.OK);
    // Nothing is written to fp again. (The first re-run still refreshes the local copy once:
    // fp's `issue update` output carries a different `raw` than `issue list`; see the report.)
    expect(again.json<Stats>()).toMatchObject({
      stats: { pushedCreated: 0, pushedUpdated: 0 },
      conflicts: [],
      failures: [],
    });
    expect(
      workspace.calls().filter((call) => call.argv.includes('update') || call.argv.includes('create')),
    ).toEqual([]);
    const third = await runBuiltCli(['--json', 'sync'], { cwd: dir });
    expect(third.json<Stats>()).toMatchObject({ stats: NO_OP, conflicts: [], failures: [] });
  });
});

describe('Linear (fake GraphQL API)', () => {
  it('binds, pulls, pushes a local edit, sees it in Linear, and re-runs as a no-op', async () => {
    const apiKey = 'lin_api_e2eSECRET0001';
    const fake = await new LinearFake({ apiKeys: [apiKey] }).start();
    try {
      const team = fake.state.defaultTeam;
      const seeded = ['Design the schema', 'Ship the sync'].map((title) =>
        fake.state.addIssue({ teamId: team.id, title }),
      );
      const target = seeded[1]!;
      await roundTrip({
        init: ['--provider', 'linear', '--workspace', team.id, '--set', `graphqlUrl=${fake.graphqlUrl}`],
        env: { LINEAR_API_KEY: apiKey },
        pulled: 2,
        edit: [fake.state.identifier(target), '--title', 'Ship the sync (edited)'],
        verifyRemote: () => expect(fake.state.issues.get(target.id)?.title).toBe('Ship the sync (edited)'),
        remoteWrites: () => fake.operationCount('UpdateIssue'),
        secret: apiKey,
      });
      fake.server.assertNoViolations();
    } finally {
      await fake.close();
    }
  });
});

describe('Jira (fake REST v3)', () => {
  it('binds, pulls, pushes a local edit, sees it in Jira, and re-runs as a no-op', async () => {
    const apiToken = 'jira_e2eSECRET0001';
    const fake = await new JiraFake({ email: 'bot@example.test', apiToken }).start();
    try {
      for (const summary of ['Draft the spec', 'Review the spec']) fake.state.seedIssue({ summary });
      await roundTrip({
        init: [
          ...['--provider', 'jira', '--workspace', 'PROJ'],
          ...['--set', `baseUrl=${fake.url}`, '--set', 'email=bot@example.test'],
        ],
        env: { JIRA_API_TOKEN: apiToken },
        pulled: 2,
        edit: ['PROJ-2', '--title', 'Review the spec (edited)', '--add-label', 'cli'],
        verifyRemote: () => {
          const remote = [...fake.state.issues.values()].find((issue) => issue.key === 'PROJ-2');
          expect(remote?.summary).toBe('Review the spec (edited)');
        },
        remoteWrites: () => fake.callCount('PUT /rest/api/3/issue/{issueIdOrKey}'),
        secret: apiToken,
      });
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });
});

describe('GitLab (fake REST v4)', () => {
  it('binds, pulls, pushes a local edit, sees it in GitLab, and re-runs as a no-op', async () => {
    const token = 'glpat-e2eSECRET0001';
    const fake = await new GitLabFake({ token }).start();
    try {
      const project = fake.state.addProject({ path: 'hello' });
      for (const title of ['Plan', 'Build']) fake.state.addIssue(project.id, { title });
      await roundTrip({
        init: ['--provider', 'gitlab', '--workspace', String(project.id), '--set', `baseUrl=${fake.apiUrl}`],
        env: { GITLAB_TOKEN: token },
        pulled: 2,
        edit: ['2', '--title', 'Build (edited)', '--add-label', 'cli'],
        verifyRemote: () => {
          expect(fake.state.getIssue(project.id, 2)).toMatchObject({ title: 'Build (edited)' });
          expect(fake.state.getIssue(project.id, 2)?.labels).toContain('cli');
        },
        remoteWrites: () => fake.callCount('PUT /projects/{id}/issues/{iid}'),
        secret: token,
      });
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });
});

describe('Azure DevOps (fake REST 7.1)', () => {
  it('binds, pulls, pushes a local edit, sees it in Azure DevOps, and re-runs as a no-op', async () => {
    const pat = 'azdo-e2eSECRET0001';
    const fake = await new AzureDevOpsFake({ personalAccessToken: pat }).start();
    try {
      fake.state.addProject('Web');
      const items = ['Sketch', 'Build'].map((title) =>
        fake.state.addWorkItem('Web', 'Task', { 'System.Title': title }),
      );
      const target = items[1]!;
      await roundTrip({
        init: [
          ...['--provider', 'azure_devops', '--workspace', `${fake.state.organization}/Web`],
          ...['--set', `baseUrl=${fake.url}`],
        ],
        env: { AZURE_DEVOPS_TOKEN: pat },
        pulled: 2,
        edit: [String(target.id), '--title', 'Build (edited)'],
        verifyRemote: () =>
          expect(fake.state.workItems.get(target.id)?.fields['System.Title']).toBe('Build (edited)'),
        remoteWrites: () => fake.callCount('PATCH workitem'),
        secret: pat,
      });
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });
});
