import { createHmac } from 'node:crypto';
import type { FakeWebhookDelivery, FakeWebhooks } from '@spec-kitty/fake-trackers';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { LinearFake } from '@spec-kitty/fake-trackers/linear';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runBuiltCli, tempProject } from './test-support';
import {
  getHealth,
  openStoreReader,
  postDelivery,
  type ServeProcess,
  startServe,
  storedTitle,
  within,
} from './test-support-serve';

// Live sync end to end, per vendor: the built CLI's `serve` as a child process, the vendor's fake
// delivering its own signed webhooks when an issue changes there, the project's SQLite store read
// beside it, and the fake's request log proving that no listing happened.

type Headers = Record<string, string>;

/** One vendor's fake, bound project and webhook dialect. */
interface Vendor {
  /** The binding (the provider id) and its secret variable. */
  readonly binding: string;
  readonly secretEnv: string;
  readonly secret: string;
  /** `init` arguments after `init`, and the tracker credential. */
  readonly init: string[];
  readonly env: Record<string, string>;
  readonly webhooks: FakeWebhooks;
  /** The issue the tests change, as the store names it (id or key), and its seeded title. */
  readonly target: string;
  readonly title: string;
  /** Renames the target on the fake, as someone using the tracker would. */
  rename(title: string): void;
  /** Listing requests the fake has served so far, and all requests. */
  listings(): number;
  requests(): number;
  /** The headers with the proof of `body` made with `secret` (or the proof header removed). */
  sign(headers: Headers, body: string, secret: string | null): Headers;
  assertNoViolations(): void;
  close(): Promise<void>;
}

function setHeader(headers: Headers, name: string, value: string | null): Headers {
  const result: Headers = {};
  for (const [key, existing] of Object.entries(headers))
    if (key.toLowerCase() !== name.toLowerCase()) result[key] = existing;
  if (value !== null) result[name] = value;
  return result;
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

const VENDORS: Record<string, () => Promise<Vendor>> = {
  async github() {
    const token = 'ghp_serveVENDORtoken0001';
    const fake = await startGitHubFake({ token, owner: 'octo', repo: 'hello' });
    fake.seedIssue({ title: 'Set up CI' });
    fake.seedIssue({ title: 'Write the CLI' });
    const listing = 'GET /repos/{owner}/{repo}/issues';
    return {
      binding: 'github',
      secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_GITHUB',
      secret: 'whsec-github-e2e-51c0a9',
      init: ['--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
      env: { GITHUB_TOKEN: token },
      webhooks: fake.webhooks,
      target: '2',
      title: 'Write the CLI',
      rename: (title) => fake.editIssue(2, (issue) => Object.assign(issue, { title })),
      listings: () => fake.server.callCount(listing),
      requests: () => fake.server.callCount(),
      sign: (headers, body, secret) =>
        setHeader(headers, 'X-Hub-Signature-256', secret === null ? null : `sha256=${hmac(secret, body)}`),
      assertNoViolations: () => fake.assertNoViolations(),
      close: () => fake.close(),
    };
  },
  async gitlab() {
    const token = 'glpat-serveVENDOR0001';
    const fake = await new GitLabFake({ token }).start();
    const project = fake.state.addProject({ path: 'hello' });
    for (const title of ['Plan', 'Build']) fake.state.addIssue(project.id, { title });
    return {
      binding: 'gitlab',
      secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_GITLAB',
      secret: 'gitlab-hook-token-e2e-7d21',
      init: ['--provider', 'gitlab', '--workspace', String(project.id), '--set', `baseUrl=${fake.apiUrl}`],
      env: { GITLAB_TOKEN: token },
      webhooks: fake.webhooks,
      target: '2',
      title: 'Build',
      rename: (title) => fake.state.touchIssue(project.id, 2, { title }),
      listings: () => fake.callCount('GET /projects/{id}/issues'),
      requests: () => fake.callCount(),
      sign: (headers, _body, secret) => setHeader(headers, 'X-Gitlab-Token', secret),
      assertNoViolations: () => fake.assertNoViolations(),
      close: () => fake.close(),
    };
  },
  async linear() {
    const apiKey = 'lin_api_serveVENDOR0001';
    const fake = await new LinearFake({ apiKeys: [apiKey] }).start();
    const team = fake.state.defaultTeam;
    const seeded = ['Design the schema', 'Ship the sync'].map((title) =>
      fake.state.addIssue({ teamId: team.id, title }),
    );
    const target = seeded[1]!;
    return {
      binding: 'linear',
      secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_LINEAR',
      secret: 'lin_wh_serve_e2e_0c4f2b',
      init: ['--provider', 'linear', '--workspace', team.id, '--set', `graphqlUrl=${fake.graphqlUrl}`],
      env: { LINEAR_API_KEY: apiKey },
      webhooks: fake.webhooks,
      target: target.id,
      title: 'Ship the sync',
      rename: (title) => fake.state.touchIssue(target.id, { title }),
      listings: () => fake.operationCount('ListIssues'),
      requests: () => fake.server.callCount(),
      sign: (headers, body, secret) =>
        setHeader(headers, 'Linear-Signature', secret === null ? null : hmac(secret, body)),
      assertNoViolations: () => fake.server.assertNoViolations(),
      close: () => fake.close(),
    };
  },
  async jira() {
    const apiToken = 'jira_serveVENDOR0001';
    const fake = await new JiraFake({ email: 'bot@example.test', apiToken }).start();
    for (const summary of ['Draft the spec', 'Review the spec']) fake.state.seedIssue({ summary });
    return {
      binding: 'jira',
      secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_JIRA',
      secret: 'jira-admin-hook-e2e-93ab',
      init: [
        ...['--provider', 'jira', '--workspace', 'PROJ'],
        ...['--set', `baseUrl=${fake.url}`, '--set', 'email=bot@example.test'],
      ],
      env: { JIRA_API_TOKEN: apiToken },
      webhooks: fake.webhooks,
      target: 'PROJ-2',
      title: 'Review the spec',
      rename: (title) => fake.state.touch('PROJ-2', { summary: title }),
      listings: () =>
        fake.callCount('GET /rest/api/3/search/jql') + fake.callCount('POST /rest/api/3/search/jql'),
      requests: () => fake.callCount(),
      sign: (headers, body, secret) =>
        setHeader(headers, 'X-Hub-Signature', secret === null ? null : `sha256=${hmac(secret, body)}`),
      assertNoViolations: () => fake.assertNoViolations(),
      close: () => fake.close(),
    };
  },
  async azure() {
    const pat = 'azdo-serveVENDOR0001';
    const fake = await new AzureDevOpsFake({ personalAccessToken: pat }).start();
    fake.state.addProject('Web');
    const items = ['Sketch', 'Build'].map((title) =>
      fake.state.addWorkItem('Web', 'Task', { 'System.Title': title }),
    );
    const target = items[1]!;
    return {
      binding: 'azure_devops',
      secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_AZURE_DEVOPS',
      // Azure DevOps sends the service hook's Basic credentials: the secret is username:password.
      secret: 'spec-kitty:azure-hook-e2e-4e8d',
      init: [
        ...['--provider', 'azure_devops', '--workspace', `${fake.state.organization}/Web`],
        ...['--set', `baseUrl=${fake.url}`],
      ],
      env: { AZURE_DEVOPS_TOKEN: pat },
      webhooks: fake.webhooks,
      target: String(target.id),
      title: 'Build',
      rename: (title) => fake.state.touchWorkItem(target.id, { 'System.Title': title }),
      listings: () => fake.callCount('POST wiql'),
      requests: () => fake.callCount(),
      sign: (headers, _body, secret) =>
        setHeader(
          headers,
          'Authorization',
          secret === null ? null : `Basic ${Buffer.from(secret).toString('base64')}`,
        ),
      assertNoViolations: () => fake.assertNoViolations(),
      close: () => fake.close(),
    };
  },
};

describe.each(Object.keys(VENDORS))('serve ← %s fake webhooks (built CLI)', (name) => {
  let vendor: Vendor;
  let dir: string;
  let cleanup: () => void;
  const running: ServeProcess[] = [];

  beforeEach(async () => {
    ({ dir, cleanup } = tempProject());
    vendor = await VENDORS[name]!();
    const init = await runBuiltCli(['init', ...vendor.init], { cwd: dir });
    expect(init.code, init.stderr).toBe(ExitCode.OK);
    const pull = await runBuiltCli(['pull'], { cwd: dir, env: vendor.env });
    expect(pull.code, pull.stdout + pull.stderr).toBe(ExitCode.OK);
  });
  afterEach(async () => {
    for (const serve of running.splice(0)) await serve.stop('SIGKILL');
    vendor.assertNoViolations();
    await vendor.close();
    cleanup();
  });

  async function serve(args: string[] = [], withCredential = true): Promise<ServeProcess> {
    const started = await startServe(['--port', '0', '--safety-interval', '0', ...args], {
      cwd: dir,
      env: { [vendor.secretEnv]: vendor.secret, ...(withCredential ? vendor.env : {}) },
    });
    running.push(started);
    if (!args.includes('--accept-only'))
      // The restart gap closes with the first batch, or with a sync of its own when nothing is queued.
      await started.waitForLine(
        (line) =>
          (line.event === 'sync' && line.reason === 'restart') ||
          (line.event === 'processed' && line.gap === 'restart'),
      );
    return started;
  }

  const hookUrl = (server: ServeProcess) => `${server.url}/webhooks/${vendor.binding}`;

  it('an edit on the tracker reaches the store within 1 s, read without any listing', async () => {
    const server = await serve();
    vendor.webhooks.subscribe({ url: hookUrl(server), secret: vendor.secret });
    const reader = openStoreReader(dir);
    try {
      expect(await storedTitle(reader, vendor.target)).toBe(vendor.title);
      const listings = vendor.listings();
      const requests = vendor.requests();
      vendor.rename(`${vendor.title} (renamed on ${name})`);
      await within(
        1000,
        async () => (await storedTitle(reader, vendor.target)) === `${vendor.title} (renamed on ${name})`,
        `${name}: the renamed title in the store`,
      );
      await vendor.webhooks.idle();
      expect(vendor.listings()).toBe(listings);
      expect(vendor.requests()).toBeGreaterThan(requests);
    } finally {
      reader.close();
    }
    const sent = vendor.webhooks.deliveries();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((delivery) => delivery.status)).toEqual(sent.map(() => 202));
    expect(server.output()).not.toContain(vendor.secret);
  });

  it('rejects forged, unsigned, oversized and malformed deliveries and answers a replay as a duplicate, writing nothing', async () => {
    const server = await serve(['--max-body', '65536']);
    vendor.webhooks.subscribe({ url: hookUrl(server), secret: vendor.secret });
    vendor.rename(`${vendor.title} (first)`);
    await vendor.webhooks.idle();
    await server.waitForLine((line) => line.event === 'processed');
    const genuine: FakeWebhookDelivery = vendor.webhooks.deliveries().find((d) => d.status === 202)!;
    expect(genuine).toBeDefined();

    const reader = openStoreReader(dir);
    try {
      const before = {
        issues: JSON.stringify(await reader.listIssues()),
        health: (await getHealth(server.url)).bindings,
        requests: vendor.requests(),
      };
      const url = hookUrl(server);
      const replay = await postDelivery(url, genuine.headers, genuine.body);
      expect(replay).toMatchObject({ status: 200, body: { status: 'duplicate' } });

      const forged = await postDelivery(
        url,
        // Azure's secret is username:password; a wrong one keeps that shape.
        vendor.sign(
          genuine.headers,
          genuine.body,
          `${vendor.secret.includes(':') ? 'spec-kitty:' : ''}not-the-secret`,
        ),
        genuine.body,
      );
      expect(forged).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
      const unsigned = await postDelivery(
        url,
        vendor.sign(genuine.headers, genuine.body, null),
        genuine.body,
      );
      expect(unsigned).toMatchObject({ status: 401, body: { error: 'missing_signature' } });

      const padded = JSON.stringify({ ...JSON.parse(genuine.body), padding: 'x'.repeat(70_000) });
      const oversized = await postDelivery(url, vendor.sign(genuine.headers, padded, vendor.secret), padded);
      expect(oversized).toMatchObject({ status: 413, body: { error: 'payload_too_large', limit: 65536 } });

      // Signed, but naming no issue (Linear's fresh timestamp included, so only the content is wrong).
      const noIssue = JSON.stringify({ webhookTimestamp: Date.now(), note: 'no issue here' });
      const malformed = await postDelivery(
        url,
        vendor.sign(genuine.headers, noIssue, vendor.secret),
        noIssue,
      );
      expect(malformed).toMatchObject({ status: 400, body: { error: 'malformed' } });
      const rejected = [401, 401, 413, 400];
      if (name !== 'linear') {
        // Signed, but not JSON. (Linear's verify must read the signed timestamp: 401 there.)
        const broken = '{"action": "update", "data": ';
        const notJson = await postDelivery(url, vendor.sign(genuine.headers, broken, vendor.secret), broken);
        expect(notJson).toMatchObject({ status: 400, body: { error: 'malformed' } });
        rejected.push(400);
      }
      if (name === 'linear') {
        // Linear signs its webhookTimestamp: a correctly signed delivery five minutes old is a replay.
        const old = JSON.stringify({
          ...JSON.parse(genuine.body),
          webhookTimestamp: Date.now() - 5 * 60_000,
        });
        const fresh = setHeader(
          vendor.sign(genuine.headers, old, vendor.secret),
          'Linear-Delivery',
          'stale-delivery-1',
        );
        const stale = await postDelivery(url, fresh, old);
        expect(stale).toMatchObject({ status: 401, body: { error: 'stale' } });
        rejected.push(401);
      }

      // Give a wrongly queued delivery the time to be processed, then compare.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(JSON.stringify(await reader.listIssues())).toBe(before.issues);
      expect((await getHealth(server.url)).bindings).toEqual(before.health);
      expect(vendor.requests()).toBe(before.requests);
      const lines = server.lines();
      expect(lines.filter((line) => line.event === 'rejected').map((line) => line.status)).toEqual(rejected);
      expect(lines.filter((line) => line.event === 'duplicate')).toHaveLength(1);
      expect(server.output()).not.toContain(vendor.secret);
    } finally {
      reader.close();
    }
  });

  it('a delivery accepted by an accept-only serve killed with -9 is processed after the restart', async () => {
    const acceptor = await serve(['--accept-only'], false);
    vendor.webhooks.subscribe({ url: hookUrl(acceptor), secret: vendor.secret });
    vendor.rename(`${vendor.title} (while nobody processed)`);
    await vendor.webhooks.idle();
    expect(vendor.webhooks.deliveries().map((delivery) => delivery.status)).toContain(202);
    const queued = (await getHealth(acceptor.url)).bindings as Record<string, { inbox: { queued: number } }>;
    expect(queued[vendor.binding]?.inbox.queued).toBeGreaterThan(0);
    acceptor.child.kill('SIGKILL');
    expect(await acceptor.exited).toBe('SIGKILL');

    const reader = openStoreReader(dir);
    try {
      expect(await storedTitle(reader, vendor.target)).toBe(vendor.title);
      const processor = await serve();
      await within(
        10_000,
        async () => (await storedTitle(reader, vendor.target)) === `${vendor.title} (while nobody processed)`,
        `${name}: the queued delivery processed after the restart`,
      );
      await within(
        5_000,
        async () => {
          const health = (await getHealth(processor.url)).bindings as Record<
            string,
            { inbox: { queued: number; inFlight: number; dead: number } }
          >;
          const inbox = health[vendor.binding]?.inbox;
          return inbox?.queued === 0 && inbox.inFlight === 0 && inbox.dead === 0;
        },
        `${name}: the inbox drained`,
      );
    } finally {
      reader.close();
    }
  });
});
