import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, runCli, tempProject } from './test-support';
import { startTestDatabase, type TestDatabase } from './test-support-postgres';

let database: TestDatabase | undefined;
let url = '';
const schema = `cli_${process.pid}_${Date.now()}`;
const project = tempProject();

beforeAll(() => {
  database = startTestDatabase();
  url = database.url;
}, 120_000);

afterAll(async () => {
  project.cleanup();
  await database?.release([schema, `${schema}_boss`]);
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: project.dir, env: { SPEC_KITTY_STORE: url, ...env } });

describe('worker and bindings commands (PostgreSQL store)', () => {
  it('adds, lists and removes bindings; refuses secrets and non-postgres stores', async () => {
    const added = await cli([
      'bindings',
      'add',
      'team-1/memory',
      '--provider',
      'memory',
      '--set',
      'workspace=w1',
      '--every',
      '1h',
      '--schema',
      schema,
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json<{ binding: { intervalSeconds: number } }>().binding.intervalSeconds).toBe(3600);
    const withCredential = await cli([
      'bindings',
      'add',
      'with-cred',
      '--provider',
      'github',
      '--set',
      'owner=octo',
      '--set',
      'repo=hello',
      '--credential',
      'github-team-1',
      '--schema',
      schema,
      '--json',
    ]);
    expect(withCredential.json<{ binding: { credentialRef: string } }>().binding.credentialRef).toBe(
      'github-team-1',
    );
    expect((await cli(['bindings', 'remove', 'with-cred', '--schema', schema])).code).toBe(0);
    const leaky = await cli([
      'bindings',
      'add',
      'leaky',
      '--provider',
      'github',
      '--set',
      'token=ghp_x',
      '--schema',
      schema,
    ]);
    expect(leaky.code).toBe(1);
    expect(leaky.stderr).toContain('credentialRef');
    expect(leaky.stderr).not.toContain('ghp_x');
    const listed = await cli(['bindings', 'list', '--schema', schema, '--json']);
    expect(listed.json<{ bindings: { id: string }[] }>().bindings.map((binding) => binding.id)).toEqual([
      'team-1/memory',
    ]);
    const text = await cli(['bindings', 'list', '--schema', schema]);
    expect(text.stdout).toContain('team-1/memory');
    const noStore = await runCli(['worker'], { cwd: project.dir, env: {} });
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('--store postgres://');
    // A postgres:// store in the config serves `bindings`, and SQLite commands refuse it.
    mkdirSync(join(project.dir, '.spec-kitty'), { recursive: true });
    writeFileSync(
      join(project.dir, '.spec-kitty', 'tracker.json'),
      JSON.stringify({ version: 1, provider: 'memory', workspace: 'w', store: url }),
    );
    const fromConfig = await runCli(['bindings', 'list', '--schema', schema, '--json'], {
      cwd: project.dir,
      env: {},
    });
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    const status = await runCli(['status'], { cwd: project.dir, env: {} });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('PostgreSQL URL');
    expect(existsSync(join(project.dir, 'postgres:'))).toBe(false);
    rmSync(join(project.dir, '.spec-kitty'), { recursive: true });
    const sqlite = await runCli(['bindings', 'list', '--store', 'tracker.db'], { cwd: project.dir, env: {} });
    expect(sqlite.code).toBe(2);
    expect(
      await cli(['bindings', 'add', 'x', '--provider', 'memory', '--every', 'soon', '--schema', schema]),
    ).toMatchObject({
      code: 2,
    });
  });

  it('`worker` runs the bindings and stops cleanly on SIGTERM; `bindings remove --purge` drops the data', async () => {
    const child = spawn(
      process.execPath,
      [BUILT_BIN, 'worker', '--store', url, '--schema', schema, '--poll-seconds', '1', '--json'],
      {
        cwd: project.dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          SPEC_KITTY_CREDENTIAL_MEMORY_TEAM_1: 'not-used',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ran = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no run reported; stderr: ${stderr}`)), 60_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const event = JSON.parse(line) as { type: string; bindingId?: string };
        if (event.type === 'run' && event.bindingId === 'team-1/memory') {
          clearTimeout(timer);
          resolve(event);
        }
      });
    });
    expect((ran.outcome as { kind: string }).kind).toBe('ok');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const listed = await cli(['bindings', 'list', '--schema', schema, '--json']);
    expect(
      listed.json<{ bindings: { lastSuccessAt: string | null }[] }>().bindings[0]?.lastSuccessAt,
    ).not.toBeNull();
    const removed = await cli(['bindings', 'remove', 'team-1/memory', '--purge', '--schema', schema]);
    expect(removed.code, removed.stderr).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT COUNT(*)::int AS n FROM "${schema}".runs`);
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    expect((await cli(['bindings', 'remove', 'team-1/memory', '--schema', schema])).code).toBe(2);
  }, 120_000);
});
