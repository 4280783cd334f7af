import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, runCli, startSandbox, tempProject } from './sandbox-process';

// docs/guides/cli.md, "Try it without credentials", step by step against `pnpm fake github`.

let project: { dir: string; cleanup: () => void };
let sandbox: RunningSandbox | null = null;
beforeEach(() => {
  project = tempProject();
});
afterEach(async () => {
  await sandbox?.stop();
  sandbox = null;
  project.cleanup();
});

interface SyncJson {
  stats: Record<string, number>;
  conflicts: unknown[];
  failures: unknown[];
}

describe('the sandbox walkthrough', () => {
  it('init → bind → pull → edit → issues create → push → conflict → conflicts resolve → sync', async () => {
    sandbox = await startSandbox(['github', '--seed', '50']);
    const { info } = sandbox;
    const { env } = info;
    const cli = (...args: string[]) => runCli(args, project.dir, env);
    const ok = async (...args: string[]) => {
      const run = await cli(...args);
      expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
      return run;
    };
    const remote = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${info.url}/repos/octo/sandbox${path}`, {
        ...init,
        headers: { authorization: `Bearer ${env.GITHUB_TOKEN}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { title: string };
    };

    await ok('init');
    await ok(...info.bind);
    await ok('bind', '--policy', 'split', '--strategy', 'manual_review');
    const pull = await ok('--json', 'pull');
    expect((JSON.parse(pull.stdout) as SyncJson).stats.pulledCreated).toBe(50);
    await ok('issues');
    await ok('edit', '#2', '--title', 'Add login page (edited locally)');

    // `issues create` is newer than some CLIs this suite runs against; take the step when present.
    const help = await cli('help', 'issues');
    const canCreate = /issues create/.test(help.stdout + help.stderr);
    if (canCreate) await ok('issues', 'create', '--title', 'Try the sandbox');

    const push = JSON.parse((await ok('--json', 'push')).stdout) as SyncJson;
    expect(push.stats).toMatchObject({ pushedUpdated: 1, pushedCreated: canCreate ? 1 : 0 });
    expect((await remote('/issues/2')).title).toBe('Add login page (edited locally)');
    if (canCreate) expect((await remote('/issues/51')).title).toBe('Try the sandbox');

    // The same field on both sides: a conflict that waits for review (exit 4).
    await ok('edit', '#3', '--title', 'Fix login page (local wording)');
    // As the guide's curl sends it.
    const patched = await fetch(`${info.url}/repos/octo/sandbox/issues/3`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${env.GITHUB_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Fix login page (tracker wording)' }),
    });
    expect(patched.status).toBe(200);
    const sync = await cli('--json', 'sync');
    expect(sync.code, sync.stdout + sync.stderr).toBe(4);
    expect((JSON.parse(sync.stdout) as SyncJson).conflicts).toHaveLength(1);

    type Listed = { conflicts: { id: number; acknowledgedAt: string | null }[] };
    const listed = JSON.parse((await cli('--json', 'conflicts')).stdout) as Listed;
    expect(listed.conflicts).toEqual([
      expect.objectContaining({
        id: 1,
        fieldName: 'title',
        localValue: 'Fix login page (local wording)',
        externalValue: 'Fix login page (tracker wording)',
        acknowledgedAt: null,
      }),
    ]);
    // Until decided, the title is written to neither side.
    expect((await remote('/issues/3')).title).toBe('Fix login page (tracker wording)');
    await ok('conflicts', 'resolve', '1', '--take', 'local');
    await ok('sync');
    expect((await remote('/issues/3')).title).toBe('Fix login page (local wording)');
    const after = JSON.parse((await ok('--json', 'conflicts', '--all')).stdout) as Listed;
    expect(after.conflicts.map((conflict) => conflict.acknowledgedAt !== null)).toEqual([true]);
    await ok('conflicts');
  });

  it('keeps pulling through injected faults, and reports how many it injected', async () => {
    sandbox = await startSandbox([
      'github',
      '--seed',
      '250',
      '--fault',
      '500:0.2',
      '--fault',
      '429:0.05',
      '--latency',
      '5ms',
    ]);
    const { info } = sandbox;
    await runCli(['init'], project.dir);
    expect((await runCli(info.bind, project.dir, info.env)).code).toBe(0);
    const pull = await runCli(['--json', 'pull'], project.dir, info.env);
    expect(pull.code, pull.stdout + pull.stderr).toBe(0);
    expect((JSON.parse(pull.stdout) as SyncJson).stats.pulledCreated).toBe(250);

    const summary = await sandbox.stop();
    sandbox = null;
    const requests = Number(/stopped after (\d+) requests/.exec(summary)?.[1]);
    const injected = [...summary.matchAll(/(\d+) × (500|429)/g)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    // With the default fault seed, the three page reads meet at least one fault; each was retried.
    expect(injected).toBeGreaterThan(0);
    expect(requests).toBeGreaterThan(3);
  });
});
