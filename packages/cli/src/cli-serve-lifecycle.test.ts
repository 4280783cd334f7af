import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createRef, TrackerEventType } from '@spec-kitty/core';
import { type GitHubFake, startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
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

// `serve` as a child process of the built CLI against the GitHub fake, with deliveries signed
// here as GitHub signs them: the process's life (health, restart gap, SIGTERM with a request in
// flight, a port in use, kill -9 between accepting and processing).

const TOKEN = 'ghp_serveLIFECYCLEtoken01';
const SECRET = 'whsec-lifecycle-3f9a61c0';
const LISTING = 'GET /repos/{owner}/{repo}/issues';

let dir: string;
let cleanup: () => void;
let fake: GitHubFake;
const running: ServeProcess[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = tempProject());
  fake = await startGitHubFake({ token: TOKEN, owner: 'octo', repo: 'hello' });
  fake.seedIssue({ title: 'Set up CI' });
  fake.seedIssue({ title: 'Write the CLI' });
});
afterEach(async () => {
  for (const serve of running.splice(0)) await serve.stop('SIGKILL');
  fake.assertNoViolations();
  await fake.close();
  cleanup();
});

const env = (extra: Record<string, string> = {}) => ({
  GITHUB_TOKEN: TOKEN,
  SPEC_KITTY_WEBHOOK_SECRET_GITHUB: SECRET,
  ...extra,
});

async function bindAndPull() {
  const init = await runBuiltCli(
    ['init', '--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
    { cwd: dir },
  );
  expect(init.code, init.stderr).toBe(ExitCode.OK);
  const pull = await runBuiltCli(['pull'], { cwd: dir, env: { GITHUB_TOKEN: TOKEN } });
  expect(pull.code, pull.stderr).toBe(ExitCode.OK);
}

async function serve(args: string[] = [], extraEnv: Record<string, string> = {}) {
  const started = await startServe(['--port', '0', '--safety-interval', '0', ...args], {
    cwd: dir,
    env: env(extraEnv),
  });
  running.push(started);
  return started;
}

/** Renames issue `number` through the fake's API, as a user on github.com would. */
async function renameOnGitHub(number: number, title: string) {
  const response = await fetch(`${fake.url}/repos/octo/hello/issues/${number}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(200);
}

/** The `issues.edited` delivery GitHub sends for issue `number`, signed with `secret`. */
function gitHubDelivery(number: number, deliveryId: string, secret = SECRET) {
  const issue = fake.issue(number)!;
  const body = JSON.stringify({
    action: 'edited',
    issue: {
      number,
      title: issue.title,
      html_url: `https://github.com/octo/hello/issues/${number}`,
      updated_at: issue.updatedAt,
    },
    repository: { full_name: 'octo/hello' },
  });
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': deliveryId,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
  return { headers, body };
}

describe('serve (built CLI, GitHub fake)', () => {
  it('closes the restart gap, reports health, and syncs a delivery within 1 s without listing', async () => {
    await bindAndPull();
    const server = await serve();
    await server.waitForLine((line) => line.event === 'sync' && line.reason === 'restart');
    const health = await getHealth(server.url);
    expect(health).toMatchObject({
      status: 'ok',
      acceptOnly: false,
      bindings: {
        github: {
          provider: 'github',
          inbox: { queued: 0, inFlight: 0, dead: 0 },
          lastSync: { reason: 'restart', ok: true },
        },
      },
    });

    await renameOnGitHub(2, 'Write the CLI (renamed on GitHub)');
    fake.server.resetCalls();
    const reader = openStoreReader(dir);
    try {
      const { headers, body } = gitHubDelivery(2, 'lifecycle-1');
      const answer = await postDelivery(`${server.url}/webhooks/github`, headers, body);
      expect(answer).toEqual({ status: 202, body: { status: 'queued', deliveryId: 'lifecycle-1' } });
      await within(
        1000,
        async () => (await storedTitle(reader, '2')) === 'Write the CLI (renamed on GitHub)',
        'the store has the new title',
      );
    } finally {
      reader.close();
    }
    expect(fake.server.callCount(LISTING)).toBe(0);
    expect(fake.server.callCount()).toBeGreaterThan(0);
    expect(server.output()).not.toContain(SECRET);
    expect(server.output()).not.toContain(TOKEN);
  });

  it('on SIGTERM answers the request in flight, then exits 0', async () => {
    await bindAndPull();
    const server = await serve();
    await server.waitForLine((line) => line.event === 'sync');
    const { headers, body } = gitHubDelivery(1, 'lifecycle-2');
    const bytes = Buffer.from(body);
    const answer = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/webhooks/github',
          headers: { ...headers, 'content-length': String(bytes.length) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Half the body now, the rest once serve has begun stopping.
      req.write(bytes.subarray(0, 10));
      server.waitForLine((line) => line.event === 'stopping').then(() => req.end(bytes.subarray(10)), reject);
    });
    await within(2000, () => server.output().includes('"event":"sync"'), 'serve is idle');
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill('SIGTERM');
    expect(await answer).toBe(202);
    expect(await server.exited).toBe(0);
    // The delivery answered during the stop was processed before the exit.
    const events = server.lines().map((line) => line.event);
    expect(events.slice(events.indexOf('stopping'))).toEqual([
      'stopping',
      'accepted',
      'processed',
      'stopped',
    ]);
    // Nothing listens any more.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('refuses to start on a port in use, naming --port', async () => {
    await bindAndPull();
    const first = await serve();
    const second = await runBuiltCli(['serve', '--port', String(first.port)], { cwd: dir, env: env() });
    expect(second.code).toBe(ExitCode.USAGE);
    expect(second.stderr).toContain(`127.0.0.1:${first.port} is already in use`);
    expect(second.stderr).toContain('--port');
  });

  it('processes after a restart what an accept-only serve queued before kill -9', async () => {
    await bindAndPull();
    const acceptor = await serve(['--accept-only'], { GITHUB_TOKEN: '' });
    await renameOnGitHub(1, 'Set up CI (renamed while nobody processed)');
    const { headers, body } = gitHubDelivery(1, 'lifecycle-3');
    expect((await postDelivery(`${acceptor.url}/webhooks/github`, headers, body)).status).toBe(202);
    expect(await getHealth(acceptor.url)).toMatchObject({
      acceptOnly: true,
      bindings: { github: { inbox: { queued: 1 } } },
    });
    acceptor.child.kill('SIGKILL');
    expect(await acceptor.exited).toBe('SIGKILL');
    const reader = openStoreReader(dir);
    try {
      expect(await storedTitle(reader, '1')).toBe('Set up CI');
      const processor = await serve();
      await within(
        10_000,
        async () => (await storedTitle(reader, '1')) === 'Set up CI (renamed while nobody processed)',
        'the queued delivery is processed after the restart',
      );
      await processor.waitForLine((line) => line.event === 'processed' && line.completed === 1);
      expect(await getHealth(processor.url)).toMatchObject({
        bindings: { github: { inbox: { queued: 0, inFlight: 0, dead: 0, done: 1 } } },
      });
      // Redelivered after processing: still a duplicate.
      const again = await postDelivery(`${processor.url}/webhooks/github`, headers, body);
      expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    } finally {
      reader.close();
    }
  });
});

describe('serve (built CLI, GitHub fake): bindings and the safety net', () => {
  it('serves another project under --binding NAME=CONFIG, each delivery into its own store', async () => {
    await bindAndPull();
    const other = tempProject();
    try {
      const init = await runBuiltCli(
        ['init', '--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
        { cwd: other.dir },
      );
      expect(init.code, init.stderr).toBe(ExitCode.OK);
      expect((await runBuiltCli(['pull'], { cwd: other.dir, env: { GITHUB_TOKEN: TOKEN } })).code).toBe(0);
      const mirrorSecret = 'whsec-mirror-0b77e2';
      const server = await serve(
        ['--binding', 'github', '--binding', `mirror=${other.dir}/.spec-kitty/tracker.json`],
        { SPEC_KITTY_WEBHOOK_SECRET_MIRROR: mirrorSecret },
      );
      const listening = server.lines().find((line) => line.event === 'listening')!;
      expect(listening.bindings).toEqual([
        expect.objectContaining({ name: 'github', secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_GITHUB' }),
        expect.objectContaining({ name: 'mirror', secretEnv: 'SPEC_KITTY_WEBHOOK_SECRET_MIRROR' }),
      ]);
      for (const binding of ['github', 'mirror'])
        await server.waitForLine(
          (line) => line.event === 'sync' && line.reason === 'restart' && line.binding === binding,
        );
      await renameOnGitHub(2, 'Write the CLI (seen by the mirror)');
      // Signed with the github binding's secret: the mirror refuses it.
      const wrong = gitHubDelivery(2, 'mirror-1');
      expect((await postDelivery(`${server.url}/webhooks/mirror`, wrong.headers, wrong.body)).status).toBe(
        401,
      );
      const { headers, body } = gitHubDelivery(2, 'mirror-2', mirrorSecret);
      expect((await postDelivery(`${server.url}/webhooks/mirror`, headers, body)).status).toBe(202);
      const mirror = openStoreReader(other.dir);
      const own = openStoreReader(dir);
      try {
        await within(
          5000,
          async () => (await storedTitle(mirror, '2')) === 'Write the CLI (seen by the mirror)',
          "the mirror's store has the new title",
        );
        expect(await storedTitle(own, '2')).toBe('Write the CLI');
      } finally {
        mirror.close();
        own.close();
      }
      expect(server.output()).not.toContain(mirrorSecret);
    } finally {
      other.cleanup();
    }
  });

  it('catches a change whose delivery never came with the --safety-interval sync', async () => {
    await bindAndPull();
    const started = await startServe(['--port', '0', '--safety-interval', '1'], { cwd: dir, env: env() });
    running.push(started);
    await started.waitForLine((line) => line.event === 'sync' && line.reason === 'restart');
    await renameOnGitHub(1, 'Set up CI (no webhook configured)');
    const reader = openStoreReader(dir);
    try {
      await within(
        5000,
        async () => (await storedTitle(reader, '1')) === 'Set up CI (no webhook configured)',
        'the safety sync brought the change',
      );
    } finally {
      reader.close();
    }
    await started.waitForLine((line) => line.event === 'sync' && line.reason === 'safety');
    expect(await getHealth(started.url)).toMatchObject({
      bindings: { github: { lastSync: { reason: 'safety', ok: true } } },
    });
  });
});

describe('serve (built CLI): the inbox stays small', () => {
  it('prunes the markers of deliveries processed more than 7 days ago, keeping recent ones', async () => {
    await bindAndPull();
    const store = SqliteIssueStore.open(`${dir}/.spec-kitty/tracker.db`);
    try {
      const ref = createRef({ system: 'github', workspace: 'octo/hello', id: '1' });
      for (const [deliveryId, daysAgo] of [
        ['old-1', 8],
        ['recent-1', 1],
      ] as const) {
        const at = new Date(Date.now() - daysAgo * 24 * 60 * 60_000);
        const event = {
          eventId: deliveryId,
          eventType: TrackerEventType.UPDATED,
          issueRef: ref,
          timestamp: at,
          payload: {},
        };
        await store.enqueueDelivery({
          binding: 'github',
          deliveryId,
          vendorEvent: 'issues',
          events: [event],
          receivedAt: at,
        });
        const [claimed] = await store.claimDeliveries({
          binding: 'github',
          limit: 1,
          leaseMs: 60_000,
          now: at,
        });
        await store.completeDeliveries([claimed!.id], at);
      }
      expect((await store.inboxStats('github')).done).toBe(2);
    } finally {
      store.close();
    }
    const server = await serve();
    const pruned = await server.waitForLine((line) => line.event === 'pruned');
    expect(pruned.deliveries).toBe(1);
    expect(await getHealth(server.url)).toMatchObject({ bindings: { github: { inbox: { done: 1 } } } });
    // The recent marker still de-duplicates a late redelivery.
    const { headers, body } = gitHubDelivery(1, 'recent-1');
    expect(await postDelivery(`${server.url}/webhooks/github`, headers, body)).toMatchObject({
      status: 200,
      body: { status: 'duplicate' },
    });
  });
});
