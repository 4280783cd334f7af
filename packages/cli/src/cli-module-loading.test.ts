// What the built CLI loads (counts, not times): a command imports what it needs and nothing else,
// so `--version` loads no store and a sync of a GitHub binding no other connector, no Postgres
// driver, no worker. Checked in a child process whose module resolutions are recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startGitHubFake } from '@spec-kitty/fake-trackers/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runBuiltCli, tempProject } from './test-support';

const RECORDER = pathToFileURL(
  fileURLToPath(new URL('../test-fixtures/record-module-loads.mjs', import.meta.url)),
).href;

const OTHER_CONNECTORS = ['azure', 'beads', 'fp', 'gitlab', 'jira', 'linear', 'memory'];

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

/** Runs the built CLI and returns its exit code and the packages (`@spec-kitty/x`, `pg`, …) it loaded. */
async function packagesLoadedBy(args: string[], env: Record<string, string> = {}) {
  const record = join(dir, `loads-${args[0]}.txt`);
  const run = await runBuiltCli(args, {
    cwd: dir,
    env: { ...env, NODE_OPTIONS: `--import=${RECORDER}`, RECORD_MODULE_LOADS: record },
  });
  const urls = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  const packages = new Set<string>();
  for (const url of urls) {
    const workspace = /\/packages\/([^/]+)\/dist\//.exec(url);
    if (workspace?.[1]) packages.add(`@spec-kitty/${workspace[1]}`);
    const dependency = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (dependency?.[1]) packages.add(dependency[1]);
  }
  return { run, packages, urls };
}

describe('modules the built CLI loads', () => {
  it('--version loads the CLI alone: no core, no store, no connector', async () => {
    const { run, packages } = await packagesLoadedBy(['--version']);
    expect(run.code).toBe(ExitCode.OK);
    expect([...packages]).toEqual(['@spec-kitty/cli']);
  });

  it('a sync of a GitHub binding loads core, the SQLite store and the GitHub connector, nothing else of ours', async () => {
    const token = 'ghp_moduleLoadsSECRET01';
    const fake = await startGitHubFake({ token, owner: 'octo', repo: 'hello' });
    try {
      fake.seedIssue({ title: 'One' });
      const env = { GITHUB_TOKEN: token };
      const init = await runBuiltCli(
        ['init', '--provider', 'github', '--workspace', 'octo/hello', '--set', `baseUrl=${fake.url}`],
        { cwd: dir, env },
      );
      expect(init.code, init.stderr).toBe(ExitCode.OK);
      const { run, packages } = await packagesLoadedBy(['sync'], env);
      expect(run.code, run.stderr).toBe(ExitCode.OK);
      expect(fake.issues()).toHaveLength(1);
      for (const name of [
        '@spec-kitty/cli',
        '@spec-kitty/core',
        '@spec-kitty/store-sqlite',
        '@spec-kitty/connector-github',
      ])
        expect(packages).toContain(name);
      for (const id of OTHER_CONNECTORS) expect(packages).not.toContain(`@spec-kitty/connector-${id}`);
      for (const name of ['@spec-kitty/store-postgres', '@spec-kitty/worker', 'pg', 'pg-boss'])
        expect(packages).not.toContain(name);
    } finally {
      await fake.close();
    }
  });
});
