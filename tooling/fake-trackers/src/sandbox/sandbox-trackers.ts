// Each vendor's fake is imported when started: some load large schemas (Jira, Linear).
import type { FakeServer } from '../server/fake-server';
import type { SandboxVendor } from './sandbox-args';

/** A started fake with what a user needs to bind a project to it. */
export interface SandboxTracker {
  /** Display name. */
  readonly title: string;
  /** The fake's HTTP server (faults, call counts, violations). */
  readonly server: FakeServer;
  /** The base URL printed for the user. */
  readonly url: string;
  /** `spec-kitty-tracker` provider id. */
  readonly provider: string;
  readonly workspace: string;
  /** Environment the CLI reads the credential from (sandbox values, not secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Arguments after `spec-kitty-tracker bind`. */
  readonly bindArgs: readonly string[];
  close(): Promise<void>;
}

const TOPICS = [
  'login page',
  'sync engine',
  'search',
  'export',
  'billing',
  'onboarding',
  'API docs',
  'settings',
];
const VERBS = ['Fix', 'Add', 'Speed up', 'Document', 'Refactor', 'Test'];
const LABELS = ['bug', 'feature', 'docs', 'infra'];

/** The n-th seeded issue (1-based): varied, deterministic content. */
export function sandboxIssue(n: number): { title: string; body: string; label: string; closed: boolean } {
  const verb = VERBS[n % VERBS.length] ?? 'Fix';
  const topic = TOPICS[Math.floor(n / VERBS.length) % TOPICS.length] ?? 'search';
  return {
    title: `${verb} ${topic} (#${n})`,
    body: `Seeded sandbox issue ${n}.`,
    label: LABELS[n % LABELS.length] ?? 'bug',
    // Every fifth issue is done, so pulls see both states.
    closed: n % 5 === 0,
  };
}

/** Fakes tick their clock once per seeded write: start it so the last seeded issue is about now. */
function clockStart(count: number): Date {
  return new Date(Date.now() - (count + 1) * 1000);
}

function bindArgs(provider: string, workspace: string, settings: Record<string, string>): string[] {
  const args = ['--provider', provider, '--workspace', workspace];
  for (const [key, value] of Object.entries(settings)) args.push('--set', `${key}=${value}`);
  return args;
}

async function startGitHub(port: number, count: number): Promise<SandboxTracker> {
  const token = 'sandbox-github-token';
  const { GitHubFake } = await import('../github');
  const fake = new GitHubFake({ token, owner: 'octo', repo: 'sandbox', start: clockStart(count) });
  for (let n = 1; n <= count; n += 1) {
    const issue = sandboxIssue(n);
    fake.seedIssue({
      title: issue.title,
      body: issue.body,
      labels: [issue.label],
      state: issue.closed ? 'closed' : 'open',
    });
  }
  await fake.server.start(port);
  return {
    title: 'GitHub',
    server: fake.server,
    url: fake.url,
    provider: 'github',
    workspace: 'octo/sandbox',
    env: { GITHUB_TOKEN: token },
    bindArgs: bindArgs('github', 'octo/sandbox', { baseUrl: fake.url }),
    close: () => fake.close(),
  };
}

async function startGitLab(port: number, count: number): Promise<SandboxTracker> {
  const token = 'sandbox-gitlab-token';
  const { GitLabFake } = await import('../gitlab');
  const fake = new GitLabFake({ token, startTime: clockStart(count) });
  const project = fake.state.addProject({ path: 'sandbox' });
  for (let n = 1; n <= count; n += 1) {
    const issue = sandboxIssue(n);
    fake.state.addIssue(project.id, {
      title: issue.title,
      description: issue.body,
      labels: [issue.label],
      state: issue.closed ? 'closed' : 'opened',
    });
  }
  await fake.start(port);
  const workspace = String(project.id);
  return {
    title: 'GitLab',
    server: fake,
    url: fake.apiUrl,
    provider: 'gitlab',
    workspace,
    env: { GITLAB_TOKEN: token },
    bindArgs: bindArgs('gitlab', workspace, { baseUrl: fake.apiUrl }),
    close: () => fake.close(),
  };
}

async function startLinear(port: number, count: number): Promise<SandboxTracker> {
  const apiKey = 'lin_api_sandbox';
  const { LinearFake } = await import('../linear');
  const fake = new LinearFake({ apiKeys: [apiKey] });
  const team = fake.state.defaultTeam;
  const done = [...fake.state.states.values()].find(
    (state) => state.teamId === team.id && state.type === 'completed',
  );
  for (let n = 1; n <= count; n += 1) {
    const issue = sandboxIssue(n);
    fake.state.addIssue({
      teamId: team.id,
      title: issue.title,
      description: issue.body,
      priority: n % 5,
      ...(issue.closed && done ? { stateId: done.id } : {}),
    });
  }
  await fake.server.start(port);
  return {
    title: 'Linear',
    server: fake.server,
    url: fake.graphqlUrl,
    provider: 'linear',
    workspace: team.id,
    env: { LINEAR_API_KEY: apiKey },
    bindArgs: bindArgs('linear', team.id, { graphqlUrl: fake.graphqlUrl }),
    close: () => fake.close(),
  };
}

async function startJira(port: number, count: number): Promise<SandboxTracker> {
  const email = 'sandbox@example.test';
  const apiToken = 'sandbox-jira-token';
  const { JiraFake } = await import('../jira');
  const fake = new JiraFake({ email, apiToken });
  for (let n = 1; n <= count; n += 1) {
    const issue = sandboxIssue(n);
    fake.state.seedIssue({
      summary: issue.title,
      labels: [issue.label],
      ...(issue.closed ? { status: 'Done', resolution: 'Done' } : {}),
    });
  }
  await fake.start(port);
  return {
    title: 'Jira',
    server: fake,
    url: fake.url,
    provider: 'jira',
    workspace: 'PROJ',
    env: { JIRA_API_TOKEN: apiToken },
    bindArgs: bindArgs('jira', 'PROJ', { baseUrl: fake.url, email }),
    close: () => fake.close(),
  };
}

async function startAzure(port: number, count: number): Promise<SandboxTracker> {
  const pat = 'sandbox-azure-token';
  const { AzureDevOpsFake } = await import('../azure');
  const fake = new AzureDevOpsFake({ personalAccessToken: pat, startTime: clockStart(count) });
  fake.state.addProject('Sandbox');
  for (let n = 1; n <= count; n += 1) {
    const issue = sandboxIssue(n);
    fake.state.addWorkItem('Sandbox', 'Task', {
      'System.Title': issue.title,
      'System.Tags': issue.label,
      ...(issue.closed ? { 'System.State': 'Closed' } : {}),
    });
  }
  await fake.start(port);
  const workspace = `${fake.state.organization}/Sandbox`;
  return {
    title: 'Azure DevOps',
    server: fake,
    url: fake.url,
    provider: 'azure_devops',
    workspace,
    env: { AZURE_DEVOPS_TOKEN: pat },
    bindArgs: bindArgs('azure_devops', workspace, { baseUrl: fake.url }),
    close: () => fake.close(),
  };
}

const STARTERS: Record<SandboxVendor, (port: number, count: number) => Promise<SandboxTracker>> = {
  github: startGitHub,
  gitlab: startGitLab,
  linear: startLinear,
  jira: startJira,
  azure: startAzure,
};

/** Starts one vendor's fake on 127.0.0.1 with `count` seeded issues. */
export function startSandboxTracker(
  vendor: SandboxVendor,
  port: number,
  count: number,
): Promise<SandboxTracker> {
  return STARTERS[vendor](port, count);
}
