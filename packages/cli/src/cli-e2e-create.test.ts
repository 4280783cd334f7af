import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { createBeadsWorkspace, fakeCliPaths } from '@spec-kitty/fake-trackers/cli';
import { startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runBuiltCli, tempProject } from './test-support';

// `issues create` through the built CLI against each fake: the next push creates the issue on the
// tracker, a second sync creates nothing more.

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

const TITLE = 'Created by the CLI';
type Stats = { stats: Record<string, number>; failures: unknown[] };

async function createAndPush(init: string[], env: Record<string, string>, remoteTitles: () => string[]) {
  const options = { cwd: dir, env };
  const bind = await runBuiltCli(['init', ...init], options);
  expect(bind.code, bind.stderr).toBe(ExitCode.OK);
  const pull = await runBuiltCli(['pull'], options);
  expect(pull.code, pull.stdout + pull.stderr).toBe(ExitCode.OK);
  const create = await runBuiltCli(['issues', 'create', '--title', TITLE, '--label', 'cli'], options);
  expect(create.code, create.stderr).toBe(ExitCode.OK);
  const push = await runBuiltCli(['--json', 'push'], options);
  expect(push.code, push.stdout + push.stderr).toBe(ExitCode.OK);
  expect(push.json<Stats>().stats.pushedCreated).toBe(1);
  expect(remoteTitles().filter((title) => title === TITLE)).toHaveLength(1);
  const again = await runBuiltCli(['--json', 'sync'], options);
  expect(again.code, again.stdout + again.stderr).toBe(ExitCode.OK);
  expect(again.json<Stats>()).toMatchObject({ stats: { pushedCreated: 0 }, failures: [] });
  expect(remoteTitles().filter((title) => title === TITLE)).toHaveLength(1);
  const listed = await runBuiltCli(['--json', 'issues'], options);
  const local = listed.json<{ issues: { title: string; ref: { id: string } }[] }>().issues;
  // The local draft was replaced by the tracker's issue.
  expect(local.filter((issue) => issue.title === TITLE)).toHaveLength(1);
}

describe('issues create, then push, against each tracker', () => {
  it('GitHub', async () => {
    const token = 'ghp_createSECRET0001';
    const fake = await startGitHubFake({ token, owner: 'octo', repo: 'hello' });
    try {
      fake.seedIssue({ title: 'Existing' });
      await createAndPush(
        ['--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
        { GITHUB_TOKEN: token },
        () => fake.issues().map((issue) => issue.title),
      );
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('GitLab', async () => {
    const token = 'glpat-createSECRET0001';
    const fake = await new GitLabFake({ token }).start();
    try {
      const project = fake.state.addProject({ path: 'hello' });
      fake.state.addIssue(project.id, { title: 'Existing' });
      await createAndPush(
        ['--provider', 'gitlab', '--workspace', String(project.id), '--set', `baseUrl=${fake.apiUrl}`],
        { GITLAB_TOKEN: token },
        () => [...fake.state.issues.values()].map((issue) => issue.title),
      );
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('Jira', async () => {
    const apiToken = 'jira_createSECRET0001';
    const fake = await new JiraFake({ email: 'bot@example.test', apiToken }).start();
    try {
      fake.state.seedIssue({ summary: 'Existing' });
      await createAndPush(
        [
          ...['--provider', 'jira', '--workspace', 'PROJ'],
          ...['--set', `baseUrl=${fake.url}`, '--set', 'email=bot@example.test'],
        ],
        { JIRA_API_TOKEN: apiToken },
        () => [...fake.state.issues.values()].map((issue) => issue.summary),
      );
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('Linear', async () => {
    const apiKey = 'lin_api_createSECRET0001';
    const fake = await new LinearFake({ apiKeys: [apiKey] }).start();
    try {
      const team = fake.state.defaultTeam;
      fake.state.addIssue({ teamId: team.id, title: 'Existing' });
      await createAndPush(
        ['--provider', 'linear', '--workspace', team.id, '--set', `graphqlUrl=${fake.graphqlUrl}`],
        { LINEAR_API_KEY: apiKey },
        () => [...fake.state.issues.values()].map((issue) => issue.title),
      );
      fake.server.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('Azure DevOps', async () => {
    const pat = 'azdo-createSECRET0001';
    const fake = await new AzureDevOpsFake({ personalAccessToken: pat }).start();
    try {
      fake.state.addProject('Web');
      fake.state.addWorkItem('Web', 'Task', { 'System.Title': 'Existing' });
      await createAndPush(
        [
          ...['--provider', 'azure_devops', '--workspace', `${fake.state.organization}/Web`],
          ...['--set', `baseUrl=${fake.url}`],
        ],
        { AZURE_DEVOPS_TOKEN: pat },
        () => [...fake.state.workItems.values()].map((item) => String(item.fields['System.Title'])),
      );
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  });

  it('Beads', async () => {
    const workspace = createBeadsWorkspace({ prefix: 'sk' });
    const bd = fakeCliPaths().bd;
    await createAndPush(
      ['--provider', 'beads', '--workspace', 'sk', '--set', `command=${bd}`, '--set', `cwd=${workspace.dir}`],
      {},
      () =>
        Object.values((workspace.readState() as { issues: Record<string, { title: string }> }).issues).map(
          (issue) => issue.title,
        ),
    );
  });
});
