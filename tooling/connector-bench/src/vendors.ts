// The five HTTP vendors of the connector benchmark: each one's loopback fake (seeded as the
// `pnpm fake` sandbox seeds it) and the real connector's configuration for it.
import { startSandboxTracker } from '../../fake-trackers/src/sandbox/sandbox-trackers';

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

/** Starts `vendor`'s fake on a free loopback port with `count` issues. */
export async function startFake(vendor: Vendor, count: number): Promise<StartedFake> {
  const tracker = await startSandboxTracker(vendor, 0, count);
  const secret = Object.values(tracker.env)[0] ?? '';
  const setting = (name: string): string => {
    const index = tracker.bindArgs.findIndex((arg) => arg.startsWith(`${name}=`));
    return index >= 0 ? (tracker.bindArgs[index] ?? '').slice(name.length + 1) : '';
  };
  const [owner = '', repo = ''] = tracker.workspace.split('/');
  const configs: Record<Vendor, Omit<ConnectorTarget, 'vendor'>> = {
    github: {
      packageName: '@spec-kitty/connector-github',
      provider: 'github',
      config: { owner, repo, token: secret, baseUrl: setting('baseUrl') },
    },
    gitlab: {
      packageName: '@spec-kitty/connector-gitlab',
      provider: 'gitlab',
      config: { projectId: tracker.workspace, token: secret, baseUrl: setting('baseUrl') },
    },
    linear: {
      packageName: '@spec-kitty/connector-linear',
      provider: 'linear',
      config: { apiKey: secret, teamId: tracker.workspace, graphqlUrl: setting('graphqlUrl') },
    },
    jira: {
      packageName: '@spec-kitty/connector-jira',
      provider: 'jira',
      config: {
        baseUrl: setting('baseUrl'),
        email: setting('email'),
        apiToken: secret,
        projectKey: tracker.workspace,
      },
    },
    azure: {
      packageName: '@spec-kitty/connector-azure',
      provider: 'azure_devops',
      config: {
        organization: owner,
        project: repo,
        personalAccessToken: secret,
        baseUrl: setting('baseUrl'),
      },
    },
  };
  return {
    target: { vendor, ...configs[vendor] },
    calls: () => tracker.server.callCount(),
    callsByEndpoint: () => tracker.server.callsByEndpoint(),
    resetCalls: () => tracker.server.resetCalls(),
    close: () => tracker.close(),
  };
}
