import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { initFileTracker, runCli, tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

const configFile = () => join(dir, '.spec-kitty', 'tracker.json');
const readConfigText = () => readFileSync(configFile(), 'utf8');

/** Binds the project to the file-backed test tracker and seeds it with issues. */
const bindFileTracker = (extra: string[] = [], seed: { id: string; title: string }[] = []) =>
  initFileTracker(dir, extra, seed);

describe('usage and help', () => {
  it('prints help and exits 2 without a command, 0 with help', async () => {
    const bare = await runCli([], { cwd: dir });
    expect(bare.code).toBe(ExitCode.USAGE);
    expect(bare.stdout).toContain('Usage: spec-kitty-tracker <command>');
    const help = await runCli(['help', 'sync'], { cwd: dir });
    expect(help.code).toBe(ExitCode.OK);
    expect(help.stdout).toContain('Usage: spec-kitty-tracker sync');
  });

  it('exits 2 on an unknown command or option, naming it', async () => {
    const unknown = await runCli(['frobnicate'], { cwd: dir });
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    await bindFileTracker();
    const option = await runCli(['pull', '--bogus'], { cwd: dir });
    expect(option.code).toBe(ExitCode.USAGE);
    expect(option.stderr).toMatch(/pull: Unknown option '--bogus'/);
  });

  it('reports errors as JSON with --json', async () => {
    const run = await runCli(['--json', 'status'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.json()).toMatchObject({ error: { type: 'UsageError' }, exitCode: 2 });
    expect((run.json() as { error: { message: string } }).error.message).toContain('spec-kitty-tracker init');
  });

  it('exits 2 when a command needs a provider and none is bound', async () => {
    expect((await runCli(['init'], { cwd: dir })).code).toBe(ExitCode.OK);
    const run = await runCli(['pull'], { cwd: dir });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('No provider is bound');
  });

  it('exits 2 for an unknown provider or a connector that is not installed', async () => {
    const unknown = await runCli(['init', '--provider', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toMatch(/Unknown provider "nope". Known providers: memory/);
    expect(
      (
        await runCli(
          ['init', '--provider', 'memory', '--connector-package', '@spec-kitty/connector-absent'],
          { cwd: dir },
        )
      ).code,
    ).toBe(ExitCode.OK);
    const missing = await runCli(['pull'], { cwd: dir });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('cannot import @spec-kitty/connector-absent');
  });
});

describe('init and bind', () => {
  it('writes a config with the binding and policy, and a .gitignore for the store', async () => {
    const run = await runCli(
      [
        'init',
        '--provider',
        'github',
        '--workspace',
        'octo/hello',
        '--policy',
        'split',
        '--owner',
        'title=local',
        '--strategy',
        'manual_review',
        '--set',
        'baseUrl=http://127.0.0.1:9',
        '--set',
        'overlapSeconds=5',
      ],
      { cwd: dir, env: {} },
    );
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    expect(run.stdout).toContain('credential token from $GITHUB_TOKEN (NOT set)');
    const config = JSON.parse(readConfigText());
    expect(config).toMatchObject({
      version: 1,
      provider: 'github',
      workspace: 'octo/hello',
      connector: { owner: 'octo', repo: 'hello', baseUrl: 'http://127.0.0.1:9', overlapSeconds: 5 },
      policy: { mode: 'split_ownership', fieldOwners: { title: 'local' } },
      strategy: 'manual_review',
    });
    expect(readFileSync(join(dir, '.spec-kitty', '.gitignore'), 'utf8')).toContain('*.db');
    expect(config.storeDurability).toBe('full');
    expect((await runCli(['bind', '--store-durability', 'normal'], { cwd: dir })).code).toBe(ExitCode.OK);
    expect(JSON.parse(readConfigText()).storeDurability).toBe('normal');
    expect((await runCli(['bind', '--store-durability', 'fast'], { cwd: dir })).stderr).toContain(
      '--store-durability must be one of full, normal',
    );
    const again = await runCli(['init', '--provider', 'github'], { cwd: dir });
    expect(again.code).toBe(ExitCode.USAGE);
    expect(again.stderr).toContain('already exists');
  });

  it('never writes credentials to the config, whatever the route', async () => {
    const secret = 'ghp_SUPERSECRETVALUE123';
    const env = { GITHUB_TOKEN: secret, MY_TOKEN: secret };
    const init = await runCli(
      [
        'init',
        '--provider',
        'github',
        '--workspace',
        'o/r',
        '--set',
        'baseUrl=http://127.0.0.1:9',
        '--credential-env',
        'token=MY_TOKEN',
      ],
      {
        cwd: dir,
        env,
      },
    );
    expect(init.code, init.stderr).toBe(ExitCode.OK);
    expect(init.stdout).toContain('credential token from $MY_TOKEN (set)');
    const viaSet = await runCli(['bind', '--set', `token=${secret}`], { cwd: dir, env });
    expect(viaSet.code).toBe(ExitCode.USAGE);
    expect(viaSet.stderr).toContain('looks like a credential');
    const viaFlag = await runCli(['bind', '--credential', `token=${secret}`], { cwd: dir, env });
    expect(viaFlag.code).toBe(ExitCode.USAGE);
    const json = await runCli(['--json', 'bind', '--set', 'apiToken=zzz'], { cwd: dir, env });
    expect(json.code).toBe(ExitCode.USAGE);
    const status = await runCli(['--json', 'status'], { cwd: dir, env });
    const discover = await runCli(['discover', '--credential', `token=${secret}`], { cwd: dir, env });
    expect(discover.code).toBe(ExitCode.ERROR);
    expect(discover.stdout).toContain('not reachable');
    for (const output of [init, viaSet, viaFlag, json, status, discover]) {
      expect(output.stdout + output.stderr).not.toContain(secret);
    }
    const files = readdirSync(join(dir, '.spec-kitty'));
    for (const file of files)
      expect(readFileSync(join(dir, '.spec-kitty', file), 'utf8')).not.toContain(secret);
    expect(JSON.parse(readConfigText()).credentialEnv).toEqual({ token: 'MY_TOKEN' });
  });

  it('resets provider-specific settings when the provider changes', async () => {
    await runCli(['init', '--provider', 'github', '--workspace', 'o/r'], { cwd: dir });
    const run = await runCli(['bind', '--provider', 'memory', '--workspace', 'sandbox'], { cwd: dir });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    expect(JSON.parse(readConfigText())).toMatchObject({
      provider: 'memory',
      workspace: 'sandbox',
      connector: { workspace: 'sandbox' },
    });
    expect(JSON.parse(readConfigText()).connector.owner).toBeUndefined();
  });

  it('rejects a malformed GitHub workspace and bad enum values with the flag name', async () => {
    const workspace = await runCli(['init', '--provider', 'github', '--workspace', 'nope'], { cwd: dir });
    expect(workspace.code).toBe(ExitCode.USAGE);
    expect(workspace.stderr).toContain('GitHub workspace must be owner/repo');
    const policy = await runCli(['init', '--policy', 'sideways'], { cwd: dir });
    expect(policy.stderr).toContain('--policy must be external, local or split');
    const owner = await runCli(['init', '--owner', 'title=nobody'], { cwd: dir });
    expect(owner.stderr).toContain('--owner title must be one of external, local, shared');
    expect(existsSync(configFile())).toBe(false);
  });
});

describe('pull, edit, push, sync against a tracker', () => {
  it('pulls, pushes a local edit, then is a no-op; records runs', async () => {
    const trackerFile = await bindFileTracker(
      ['--policy', 'split'],
      [
        { id: 'T-1', title: 'First' },
        { id: 'T-2', title: 'Second' },
      ],
    );
    const pull = await runCli(['--json', 'pull'], { cwd: dir });
    expect(pull.code, pull.stderr).toBe(ExitCode.OK);
    expect(pull.json()).toMatchObject({ command: 'pull', stats: { pulledCreated: 2 }, exitCode: 0 });

    const edit = await runCli(
      ['edit', 'T-2', '--title', 'Second, edited', '--status', 'in_progress', '--add-label', 'cli'],
      { cwd: dir },
    );
    expect(edit.code, edit.stderr).toBe(ExitCode.OK);
    const plan = await runCli(['--json', 'plan'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(ExitCode.OK);
    const writes = plan.json<{
      writes: { target: string; action: string; issue: string; patch?: Record<string, unknown> }[];
    }>().writes;
    expect(writes.filter((write) => write.target === 'remote')).toEqual([
      expect.objectContaining({
        action: 'update',
        issue: 'file-tracker:files:T-2',
        patch: expect.objectContaining({ title: 'Second, edited' }),
      }),
    ]);
    // plan changed nothing
    expect(JSON.parse(readFileSync(trackerFile, 'utf8'))[1].title).toBe('Second');

    const push = await runCli(['--json', 'push'], { cwd: dir });
    expect(push.code, push.stderr).toBe(ExitCode.OK);
    expect(push.json()).toMatchObject({ stats: { pushedUpdated: 1 } });
    const remote = JSON.parse(readFileSync(trackerFile, 'utf8'))[1];
    expect(remote).toMatchObject({ title: 'Second, edited', status: 'in_progress', labels: ['cli'] });

    const again = await runCli(['--json', 'sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(ExitCode.OK);
    expect(again.json()).toMatchObject({
      stats: { pulledCreated: 0, pulledUpdated: 0, pushedCreated: 0, pushedUpdated: 0 },
      conflicts: [],
    });

    const status = await runCli(['--json', 'status'], { cwd: dir });
    const store = status.json<{ store: { issues: number; runs: { command: string; outcome: string }[] } }>()
      .store;
    expect(store.issues).toBe(2);
    expect(store.runs.map((run) => `${run.command}:${run.outcome}`)).toEqual([
      'sync:ok',
      'push:ok',
      'pull:ok',
    ]);
    const human = await runCli(['status'], { cwd: dir });
    expect(human.stdout).toContain('issues     2 (2 from file-tracker)');
    const issues = await runCli(['issues'], { cwd: dir });
    expect(issues.stdout).toMatch(/T-2\s+in_progress\s+task\s+Second, edited\s+cli/);
  });

  it('exits 3 on partial failure and keeps what succeeded', async () => {
    await bindFileTracker(['--policy', 'split', '--set', 'failUpdates=true'], [{ id: 'T-1', title: 'One' }]);
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    await runCli(['edit', 'T-1', '--title', 'Changed'], { cwd: dir });
    // The create succeeds while the update fails: some done, some failed.
    await runCli(['issues', 'create', '--title', 'New one'], { cwd: dir });
    const push = await runCli(['push'], { cwd: dir });
    expect(push.code).toBe(ExitCode.PARTIAL_FAILURE);
    expect(push.stdout).toContain('update[file-tracker:files:T-1]: HTTP 422');
    expect(push.stdout).toContain('Re-run to retry');
  });

  it('exits 4 when conflicts need manual review, and lists them until acknowledged', async () => {
    const trackerFile = await bindFileTracker(
      ['--policy', 'split', '--strategy', 'manual_review'],
      [{ id: 'T-1', title: 'One' }],
    );
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    await runCli(['edit', 'T-1', '--title', 'Local title'], { cwd: dir });
    const state = JSON.parse(readFileSync(trackerFile, 'utf8'));
    state[0].title = 'Remote title';
    state[0].updated_at = '2030-01-01T00:00:00.000Z';
    writeFileSync(trackerFile, JSON.stringify(state));
    const sync = await runCli(['--json', 'sync'], { cwd: dir });
    expect(sync.code, sync.stderr).toBe(ExitCode.CONFLICTS);
    expect(sync.json<{ conflicts: unknown[] }>().conflicts).toContainEqual(
      expect.objectContaining({
        field: 'title',
        localValue: 'Local title',
        externalValue: 'Remote title',
        manualReviewRequired: true,
      }),
    );
    const list = await runCli(['conflicts'], { cwd: dir });
    expect(list.code).toBe(ExitCode.CONFLICTS);
    expect(list.stdout).toMatch(/file-tracker:files:T-1\s+title/);
    const ack = await runCli(['--json', 'conflicts', '--ack-all'], { cwd: dir });
    expect(ack.code).toBe(ExitCode.OK);
    expect(ack.json()).toMatchObject({ needingReview: 0 });
  });

  it('exits 4 with strict manual review after writing everything else', async () => {
    const trackerFile = await bindFileTracker(
      ['--policy', 'split', '--strategy', 'manual_review', '--strict-manual-review'],
      [{ id: 'T-1', title: 'One' }],
    );
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
    await runCli(['edit', 'T-1', '--title', 'Local title'], { cwd: dir });
    const state = JSON.parse(readFileSync(trackerFile, 'utf8'));
    state[0].title = 'Remote title';
    state[0].updated_at = '2030-01-01T00:00:00.000Z';
    writeFileSync(trackerFile, JSON.stringify(state));
    const sync = await runCli(['sync'], { cwd: dir });
    expect(sync.code).toBe(ExitCode.CONFLICTS);
    expect(sync.stdout).toContain('manual review');
    expect((await runCli(['--json', 'conflicts'], { cwd: dir })).json()).toMatchObject({ needingReview: 1 });
  });

  it('refuses to run while another run holds the lock, and unlock clears it', async () => {
    await bindFileTracker([], [{ id: 'T-1', title: 'One' }]);
    const store = SqliteIssueStore.open(join(dir, '.spec-kitty', 'tracker.db'));
    const lock = await store.acquireRunLock({ command: 'sync' });
    const blocked = await runCli(['pull'], { cwd: dir });
    expect(blocked.code).toBe(ExitCode.ERROR);
    expect(blocked.stderr).toMatch(/Another run holds the lock .*`sync` \(pid/);
    lock.release();
    await store.acquireRunLock({ command: 'sync' });
    expect((await runCli(['unlock'], { cwd: dir })).stdout).toContain('Released the lock of `sync`');
    store.close();
    expect((await runCli(['pull'], { cwd: dir })).code).toBe(ExitCode.OK);
  });
});

describe('progress output', () => {
  it('draws a bar on a TTY, plain lines otherwise, nothing with --json', async () => {
    await bindFileTracker(
      [],
      [
        { id: 'T-1', title: 'One' },
        { id: 'T-2', title: 'Two' },
        { id: 'T-3', title: 'Three' },
      ],
    );
    const tty = await runCli(['pull', '--limit', '1'], { cwd: dir, tty: true });
    expect(tty.code, tty.stderr).toBe(ExitCode.OK);
    expect(tty.stderr).toContain('\r\x1b[2K[');
    expect(tty.stdout).not.toContain('\x1b[');
    const plain = await runCli(['pull', '--limit', '1'], { cwd: dir, tty: false });
    expect(plain.stderr).not.toContain('\x1b[');
    expect(plain.stderr).toMatch(/^pull \(pull\): 1 page\(s\), 1 issue\(s\)/m);
    const json = await runCli(['--json', 'pull'], { cwd: dir, tty: true });
    expect(json.stderr).toBe('');
    const quiet = await runCli(['pull', '--no-progress'], { cwd: dir, tty: true });
    expect(quiet.stderr).toBe('');
  });
});

describe('store problems', () => {
  it('exits 1 naming the store when it is not a usable database', async () => {
    await bindFileTracker(['--store', 'broken.db'], [{ id: 'T-1', title: 'One' }]);
    writeFileSync(join(dir, 'broken.db'), 'x'.repeat(4096));
    const run = await runCli(['pull'], { cwd: dir });
    expect(run.code).toBe(ExitCode.ERROR);
    expect(run.stderr).toMatch(/Cannot use .*broken\.db as a spec-kitty tracker store/);
  });
});

describe('map', () => {
  it('adds, lists and removes work-package mappings', async () => {
    await bindFileTracker(
      [],
      [
        { id: 'T-1', title: 'One' },
        { id: 'T-2', title: 'Two' },
      ],
    );
    await runCli(['pull'], { cwd: dir });
    expect((await runCli(['map', 'add', 'WP01', 'T-1'], { cwd: dir })).stdout).toContain(
      'Mapped WP01 → file-tracker:files:T-1 (One)',
    );
    await runCli(['map', 'add', 'WP01', 'file-tracker:files:T-2'], { cwd: dir });
    const list = await runCli(['--json', 'map', 'list'], { cwd: dir });
    expect(list.json<{ mappings: { workPackage: string; key: string; title: string }[] }>().mappings).toEqual(
      [
        expect.objectContaining({ workPackage: 'WP01', key: 'T-1', title: 'One' }),
        expect.objectContaining({ workPackage: 'WP01', key: 'T-2', title: 'Two' }),
      ],
    );
    const missing = await runCli(['map', 'add', 'WP02', 'T-9'], { cwd: dir });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('No issue "T-9" in the local store');
    expect((await runCli(['map', 'remove', 'WP01', 'T-1'], { cwd: dir })).stdout).toContain(
      'Removed 1 mapping(s).',
    );
    expect((await runCli(['map', 'list'], { cwd: dir })).stdout).toMatch(/WP01\s+T-2\s+todo\s+Two/);
    expect((await runCli(['map', 'frob'], { cwd: dir })).code).toBe(ExitCode.USAGE);
  });
});

describe('discover', () => {
  it('lists the known connectors and probes the bound one', async () => {
    await bindFileTracker([], [{ id: 'T-1', title: 'One' }]);
    const run = await runCli(['--json', 'discover'], { cwd: dir });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    const result = run.json<{
      connectors: { id: string; installed: boolean }[];
      bound: { reachable: boolean; sample: unknown };
    }>();
    expect(result.connectors).toContainEqual(expect.objectContaining({ id: 'memory', installed: true }));
    expect(result.connectors.map((row) => row.id)).toEqual(
      expect.arrayContaining(['github', 'jira', 'beads', 'file-tracker']),
    );
    expect(result.bound).toMatchObject({ reachable: true, sample: { id: 'T-1', title: 'One' } });
  });
});

describe('demo', () => {
  it('runs the two-way sync with a policy-resolved conflict and a no-op repeat', async () => {
    const run = await runCli(['--json', 'demo', '--db', join(dir, 'demo.db')], { cwd: dir });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    const result = run.json<{
      ok: boolean;
      checks: Record<string, boolean>;
      rounds: { conflicts: { field: string }[] }[];
    }>();
    expect(result.checks).toEqual({
      pulledEverything: true,
      conflictResolvedByPolicy: true,
      localEditPushed: true,
      localIssueCreated: true,
      trackerOwnsBody: true,
      labelsMergedFromBothSides: true,
      discardedEditReported: true,
      secondRunIsNoOp: true,
      noFailures: true,
    });
    expect(result.rounds[1]?.conflicts).toEqual([
      expect.objectContaining({ field: 'title', resolvedValue: 'Write the sync engine in TypeScript' }),
    ]);
    expect(run.stderr).toContain('memory:demo:DEMO-4 body: local "Local notes on the store." discarded');
    const store = SqliteIssueStore.open(join(dir, 'demo.db'));
    expect(await store.countIssues({ system: 'memory' })).toBe(5);
    store.close();
  });
});
