// The five HTTP vendors of the connector benchmark: each one's loopback fake, seeded with varied
// issues last updated more than a day ago (so no connector's incremental-pull overlap window
// covers them and a no-op sync sees nothing new, as on a real tracker), and the real
// connector's configuration for it.

import type { FakeServer } from '@spec-kitty/fake-trackers';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { GitHubFake } from '@spec-kitty/fake-trackers/github';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { LinearFake } from '@spec-kitty/fake-trackers/linear';

export const VENDORS = ['github', 'gitlab', 'linear', 'jira', 'azure'] as const;
export type Vendor = (typeof VENDORS)[number];

/**
 * The largest page the vendor's API serves for an issue listing with the fields a sync needs
 * (docs/connectors/*, shared/reference/field-research.md): the floor of a cold pull's calls.
 */
export const VENDOR_MAX_PAGE_SIZE: Record<Vendor, number> = {
  github: 100,
  gitlab: 100,
  linear: 250,
  jira: 100,
  azure: 200,
};

export const VENDOR_TITLES: Record<Vendor, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  linear: 'Linear',
  jira: 'Jira',
  azure: 'Azure DevOps',
};

/** What the benchmark child needs to build the real connector against a started fake. */
export interface ConnectorTarget {
  readonly vendor: Vendor;
  /** The connector package to import (it registers the connector). */
  readonly packageName: string;
  /** Registry id of the connector. */
  readonly provider: string;
  readonly config: Record<string, unknown>;
}

export interface StartedFake {
  readonly target: ConnectorTarget;
  /** Requests the fake has answered so far. */
  calls(): number;
  /** Requests per endpoint since the last reset. */
  callsByEndpoint(): Record<string, number>;
  resetCalls(): void;
  close(): Promise<void>;
}

const TOPICS = ['login page', 'sync engine', 'search', 'export', 'billing', 'onboarding', 'API docs'];
const VERBS = ['Fix', 'Add', 'Speed up', 'Document', 'Refactor', 'Test'];
const LABELS = ['bug', 'feature', 'docs', 'infra'];

/** The n-th seeded issue (1-based): varied, deterministic content; every fifth one is done. */
function seeded(n: number): { title: string; body: string; label: string; closed: boolean } {
  const verb = VERBS[n % VERBS.length] ?? 'Fix';
  const topic = TOPICS[Math.floor(n / VERBS.length) % TOPICS.length] ?? 'search';
  return {
    title: `${verb} ${topic} (#${n})`,
    body: `Benchmark issue ${n}: ${verb.toLowerCase()} the ${topic}.`,
    label: LABELS[n % LABELS.length] ?? 'bug',
    closed: n % 5 === 0,
  };
}

/** Seeded issues are one second apart, the last one two days ago. */
function seedStart(count: number): Date {
  return new Date(Date.now() - 2 * 86_400_000 - count * 1000);
}

interface Seeded {
  readonly server: FakeServer;
  readonly target: Omit<ConnectorTarget, 'vendor'>;
  close(): Promise<void>;
}

async function seedGitHub(count: number, options: FakeOptions): Promise<Seeded> {
  const token = 'bench-github-token';
  const fake = new GitHubFake({
    token,
    owner: 'octo',
    repo: 'bench',
    start: seedStart(count),
    ...(options.validate === false ? { validate: false } : {}),
  });
  for (let n = 1; n <= count; n += 1) {
    const issue = seeded(n);
    fake.seedIssue({
      title: issue.title,
      body: issue.body,
      labels: [issue.label],
      state: issue.closed ? 'closed' : 'open',
    });
  }
  await fake.server.start(0);
  return {
    server: fake.server,
    target: {
      packageName: '@spec-kitty/connector-github',
      provider: 'github',
      config: { owner: 'octo', repo: 'bench', token, baseUrl: fake.url },
    },
    close: () => fake.close(),
  };
}

async function seedGitLab(count: number): Promise<Seeded> {
  const token = 'bench-gitlab-token';
  const fake = new GitLabFake({ token, startTime: seedStart(count) });
  const project = fake.state.addProject({ path: 'bench' });
  for (let n = 1; n <= count; n += 1) {
    const issue = seeded(n);
    fake.state.addIssue(project.id, {
      title: issue.title,
      description: issue.body,
      labels: [issue.label],
      state: issue.closed ? 'closed' : 'opened',
    });
  }
  await fake.start(0);
  return {
    server: fake,
    target: {
      packageName: '@spec-kitty/connector-gitlab',
      provider: 'gitlab',
      config: { projectId: String(project.id), token, baseUrl: fake.apiUrl },
    },
    close: () => fake.close(),
  };
}

async function seedLinear(count: number): Promise<Seeded> {
  const apiKey = 'lin_api_bench';
  // The fake's clock reads the seeding time while seeding, then the real time.
  let seeding: number | null = seedStart(count).getTime();
  const fake = new LinearFake({ apiKeys: [apiKey], now: () => new Date(seeding ?? Date.now()) });
  const team = fake.state.defaultTeam;
  const done = [...fake.state.states.values()].find(
    (state) => state.teamId === team.id && state.type === 'completed',
  );
  for (let n = 1; n <= count; n += 1) {
    const issue = seeded(n);
    seeding = (seeding ?? 0) + 1000;
    fake.state.addIssue({
      teamId: team.id,
      title: issue.title,
      description: issue.body,
      priority: n % 5,
      ...(issue.closed && done ? { stateId: done.id } : {}),
    });
  }
  seeding = null;
  await fake.server.start(0);
  return {
    server: fake.server,
    target: {
      packageName: '@spec-kitty/connector-linear',
      provider: 'linear',
      config: { apiKey, teamId: team.id, graphqlUrl: fake.graphqlUrl },
    },
    close: () => fake.close(),
  };
}

async function seedJira(count: number): Promise<Seeded> {
  const email = 'bench@example.test';
  const apiToken = 'bench-jira-token';
  const fake = new JiraFake({ email, apiToken });
  const start = seedStart(count).getTime();
  for (let n = 1; n <= count; n += 1) {
    const issue = seeded(n);
    const at = start + n * 1000;
    fake.state.seedIssue({
      summary: issue.title,
      labels: [issue.label],
      created: at,
      updated: at,
      ...(issue.closed ? { status: 'Done', resolution: 'Done' } : {}),
    });
  }
  await fake.start(0);
  return {
    server: fake,
    target: {
      packageName: '@spec-kitty/connector-jira',
      provider: 'jira',
      config: { baseUrl: fake.url, email, apiToken, projectKey: 'PROJ' },
    },
    close: () => fake.close(),
  };
}

async function seedAzure(count: number): Promise<Seeded> {
  const personalAccessToken = 'bench-azure-token';
  const fake = new AzureDevOpsFake({ personalAccessToken, startTime: seedStart(count) });
  fake.state.addProject('Bench');
  for (let n = 1; n <= count; n += 1) {
    const issue = seeded(n);
    fake.state.addWorkItem('Bench', 'Task', {
      'System.Title': issue.title,
      'System.Tags': issue.label,
      ...(issue.closed ? { 'System.State': 'Closed' } : {}),
    });
  }
  await fake.start(0);
  return {
    server: fake,
    target: {
      packageName: '@spec-kitty/connector-azure',
      provider: 'azure_devops',
      config: {
        organization: fake.state.organization,
        project: 'Bench',
        personalAccessToken,
        baseUrl: fake.url,
      },
    },
    close: () => fake.close(),
  };
}

/** How a benchmark wants its fake. */
export interface FakeOptions {
  /**
   * `false`: the GitHub fake skips its OpenAPI validation of requests and responses (about 20 ms
   * of the fake's own time per page of 100 issues), for benchmarks timing the client, not the fake.
   * Default: validate. The other fakes ignore it.
   */
  readonly validate?: boolean;
}

const SEEDERS: Record<Vendor, (count: number, options: FakeOptions) => Promise<Seeded>> = {
  github: seedGitHub,
  gitlab: seedGitLab,
  linear: seedLinear,
  jira: seedJira,
  azure: seedAzure,
};

/** Starts `vendor`'s fake on a free loopback port with `count` issues. */
export async function startFake(
  vendor: Vendor,
  count: number,
  options: FakeOptions = {},
): Promise<StartedFake> {
  const { server, target, close } = await SEEDERS[vendor](count, options);
  return {
    target: { vendor, ...target },
    calls: () => server.callCount(),
    callsByEndpoint: () => server.callsByEndpoint(),
    resetCalls: () => server.resetCalls(),
    close,
  };
}
