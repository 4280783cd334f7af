import { type ChildProcess, spawn } from 'node:child_process';
import { startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { SyncWorker } from '@spec-kitty/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, runCli, tempProject } from './test-support';
import { startTestDatabase, type TestDatabase } from './test-support-postgres';
import {
  getHealth,
  postDelivery,
  type ServeProcess,
  startRecorder,
  startServe,
  within,
} from './test-support-serve';

// `serve --store postgres://…`: the built CLI's serve and worker as child processes on a real
// PostgreSQL (SPEC_KITTY_TEST_DATABASE_URL, else a throwaway cluster from scripts/db-start.sh), the
// GitHub fake delivering its own signed webhooks, the store read beside them.

let database: TestDatabase | undefined;
let url = '';
const schema = `serve_pg_${process.pid}_${Date.now()}`;
const project = tempProject();
const BINDING = 'team-1/hello';
const SECRET_ENV = 'SPEC_KITTY_WEBHOOK_SECRET_TEAM_1_HELLO';
const SECRET = 'whsec-serve-postgres-7f3a91';
const TOKEN = 'ghp_servePOSTGREStoken0001';
const LISTING = 'GET /repos/{owner}/{repo}/issues';

let fake: Awaited<ReturnType<typeof startGitHubFake>>;
let reader: SyncWorker;
const children = new Set<ChildProcess>();

function databaseAvailable(): boolean {
  try {
    database = startTestDatabase();
    url = database.url;
  } catch {
    url = '';
  }
  return url !== '';
}

const hasDatabase = databaseAvailable();

beforeAll(async () => {
  if (!hasDatabase) return;
  fake = await startGitHubFake({ token: TOKEN, owner: 'octo', repo: 'hello' });
  fake.seedIssue({ title: 'Set up CI' });
  fake.seedIssue({ title: 'Write the CLI' });
  const added = await runCli(
    [
      ...['bindings', 'add', BINDING, '--provider', 'github'],
      ...['--set', 'owner=octo', '--set', 'repo=hello', '--set', `baseUrl=${fake.url}`],
      ...['--credential', 'gh-team-1', '--every', '1h', '--schema', schema],
    ],
    { cwd: project.dir, env: { SPEC_KITTY_STORE: url } },
  );
  expect(added.code, added.stderr).toBe(0);
  reader = await SyncWorker.start({ connectionString: url, schema, work: false, poolSize: 2 });
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await fake?.close();
  await reader?.stop({ timeoutMs: 5000 });
  project.cleanup();
  await database?.release([schema, `${schema}_boss`]);
}, 60_000);

/** `spec-kitty-tracker worker` on the test schema, as a child process. */
function startWorker(): { stop(): Promise<void> } {
  const child = spawn(
    process.execPath,
    [BUILT_BIN, 'worker', '--schema', schema, '--poll-seconds', '1', '--json'],
    {
      cwd: project.dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SPEC_KITTY_STORE: url,
        SPEC_KITTY_CREDENTIAL_GH_TEAM_1: TOKEN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      children.delete(child);
    },
  };
}

async function serve(env: Record<string, string> = {}): Promise<ServeProcess> {
  const server = await startServe(['--store', url, '--schema', schema, '--binding', BINDING, '--port', '0'], {
    cwd: project.dir,
    env: { [SECRET_ENV]: SECRET, ...env },
  });
  children.add(server.child);
  return server;
}

const hookUrl = (server: ServeProcess) => `${server.url}/webhooks/${encodeURIComponent(BINDING)}`;

async function storedTitle(id: string): Promise<string | undefined> {
  const issues = await reader.store.scope(BINDING).listIssues();
  return issues.find((issue) => issue.ref.id === id || issue.ref.key === id)?.title;
}

const inbox = () => reader.store.scope(BINDING).inboxStats(BINDING);
const total = async () => {
  const stats = await inbox();
  return stats.queued + stats.inFlight + stats.done + stats.dead;
};

describe.skipIf(!hasDatabase)('serve with a PostgreSQL store and the worker', () => {
  it('queues an edit on the tracker for the worker, which syncs it without a listing; serve processes nothing', async () => {
    const worker = startWorker();
    try {
      await within(30_000, async () => (await storedTitle('2')) === 'Write the CLI', 'the first sync');
      const server = await serve();
      const listening = server.lines().find((line) => line.event === 'listening');
      expect(listening?.processing).toBe('worker');
      expect(String(listening?.message)).toContain('spec-kitty-tracker worker');
      fake.webhooks.subscribe({ url: hookUrl(server), secret: SECRET });
      const listings = fake.server.callCount(LISTING);
      fake.editIssue(2, (issue) => Object.assign(issue, { title: 'Write the CLI (renamed)' }));
      await within(5000, async () => (await storedTitle('2')) === 'Write the CLI (renamed)', 'the rename');
      await fake.webhooks.idle();
      expect(fake.server.callCount(LISTING)).toBe(listings);
      const sent = fake.webhooks.deliveries();
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.map((delivery) => delivery.status)).toEqual(sent.map(() => 202));
      // Processing is the worker's: serve logged no processing or sync of its own.
      expect(server.lines().filter((line) => line.event === 'processed' || line.event === 'sync')).toEqual(
        [],
      );
      const health = await getHealth(server.url);
      const binding = (health.bindings as Record<string, { inbox: { done: number }; provider: string }>)[
        BINDING
      ];
      expect(health.store).toBe('postgres');
      expect(binding?.provider).toBe('github');
      expect(binding?.inbox.done).toBeGreaterThan(0);
      expect(await server.stop()).toBe(0);
      expect(server.output()).not.toContain(SECRET);
      expect(server.output()).not.toContain(TOKEN);
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it('answers a forged delivery 401 and a replay 200 duplicate, enqueueing nothing for either', async () => {
    const recorder = await startRecorder();
    const subscription = fake.webhooks.subscribe({ url: recorder.url, secret: SECRET });
    fake.editIssue(1, (issue) => Object.assign(issue, { title: 'Set up CI (recorded)' }));
    await fake.webhooks.idle();
    subscription.unsubscribe();
    await recorder.close();
    const genuine = recorder.deliveries.at(-1);
    if (genuine === undefined) throw new Error('the fake sent nothing to the recorder');
    const server = await serve();
    try {
      const before = await total();
      const forged = await postDelivery(
        hookUrl(server),
        { ...genuine.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
        genuine.body,
      );
      expect(forged.status).toBe(401);
      expect(await total()).toBe(before);
      const first = await postDelivery(hookUrl(server), genuine.headers, genuine.body);
      expect(first.status).toBe(202);
      expect(await total()).toBe(before + 1);
      const replay = await postDelivery(hookUrl(server), genuine.headers, genuine.body);
      expect(replay.status).toBe(200);
      expect(replay.body.status).toBe('duplicate');
      expect(await total()).toBe(before + 1);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('keeps a delivery answered 202 when serve is killed -9: a worker started later processes it', async () => {
    const server = await serve();
    const subscription = fake.webhooks.subscribe({ url: hookUrl(server), secret: SECRET });
    fake.editIssue(2, (issue) => Object.assign(issue, { title: 'Write the CLI (after a crash)' }));
    await fake.webhooks.idle();
    subscription.unsubscribe();
    const last = fake.webhooks.deliveries().at(-1);
    expect(last?.status).toBe(202);
    expect(await server.stop('SIGKILL')).toBe('SIGKILL');
    expect(await storedTitle('2')).not.toBe('Write the CLI (after a crash)');
    expect((await inbox()).queued).toBeGreaterThan(0);
    const worker = startWorker();
    try {
      await within(
        20_000,
        async () => (await storedTitle('2')) === 'Write the CLI (after a crash)',
        'the delivery queued before the crash',
      );
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('refuses to start, saying what to do, for an unknown binding, an unreachable store, a provider without webhooks and a missing secret', async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      runCli(['serve', '--schema', schema, '--port', '0', ...args], {
        cwd: project.dir,
        env: { SPEC_KITTY_STORE: url, [SECRET_ENV]: SECRET, ...env },
      });
    const unknown = await run(['--binding', 'team-1/typo']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown binding "team-1/typo"');
    expect(unknown.stderr).toContain(BINDING);
    expect(unknown.stderr).toContain('bindings list');

    const unreachable = await runCli(
      ['serve', '--store', 'postgres://tracker:pg-pass-93ab@127.0.0.1:1/tracker', '--binding', BINDING],
      { cwd: project.dir, env: { [SECRET_ENV]: SECRET } },
    );
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('127.0.0.1:1');
    expect(unreachable.stderr).not.toContain('pg-pass-93ab');

    const memory = await runCli(
      [
        'bindings',
        'add',
        'team-1/memory',
        '--provider',
        'memory',
        '--set',
        'workspace=w',
        '--schema',
        schema,
      ],
      { cwd: project.dir, env: { SPEC_KITTY_STORE: url } },
    );
    expect(memory.code, memory.stderr).toBe(0);
    const noWebhooks = await run(['--binding', 'team-1/memory']);
    expect(noWebhooks.code).toBe(2);
    expect(noWebhooks.stderr).toContain('no webhook support');

    const noSecret = await run(['--binding', BINDING], { [SECRET_ENV]: '' });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain(SECRET_ENV);

    const noBinding = await run([]);
    expect(noBinding.code).toBe(2);
    expect(noBinding.stderr).toContain('--binding <id>');

    const acceptOnly = await run(['--binding', BINDING, '--accept-only']);
    expect(acceptOnly.code).toBe(2);
    expect(acceptOnly.stderr).toContain('worker');
  }, 60_000);
});

describe('serve --help', () => {
  it('documents the PostgreSQL store and that the worker processes its deliveries', async () => {
    const help = await runCli(['serve', '--help'], { cwd: project.dir, env: {} });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--store');
    expect(help.stdout).toContain('--schema');
    expect(help.stdout).toContain('spec-kitty-tracker worker');
  });

  it('refuses --schema without a PostgreSQL store', async () => {
    const run = await runCli(['serve', '--schema', 'elsewhere'], { cwd: project.dir, env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PostgreSQL store only');
  });
});
