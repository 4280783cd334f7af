import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcmeFake, startAcmeFake } from '../../../examples/connector-acme/test/acme-fake';
import { ACME_EXAMPLE, installPackedProject, type PackedProject } from './packed-project';

// Issue 14 item 7: the example third-party connector, packed and installed next to the packed CLI
// in an empty project outside the workspace, used as docs/guides/writing-a-connector.md says.

// scripts/test-node.sh sets this for its second, Node 24 run of the suite: packaging is proven by
// the Node 20 run, and the extra npm install (a native better-sqlite3 build) would double its cost.
const skipPackedInstall = process.env.SPEC_KITTY_SKIP_PACKED_INSTALL === '1';

let project: PackedProject;
let fake: AcmeFake;
const env = { ACME_TOKEN: 'test-token' };

function projectDir(name: string): string {
  const dir = join(project.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const cli = (args: string[], cwd: string, extra: Record<string, string> = {}) =>
  project.exec('spec-kitty-tracker', args, { cwd, env: { ...env, ...extra } });

function trackerConfig(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, '.spec-kitty/tracker.json'), 'utf8'));
}

beforeAll(async () => {
  if (skipPackedInstall) return;
  project = await installPackedProject();
  fake = await startAcmeFake();
  fake.seed({ title: 'Seeded one' });
  fake.seed({ title: 'Seeded two', labels: ['bug'] });
}, 900_000);

afterAll(async () => {
  try {
    fake?.assertNoViolations();
  } finally {
    await fake?.close();
    project?.cleanup();
  }
});

describe.skipIf(skipPackedInstall)('a third-party connector installed from tarballs', () => {
  it('binds with explicit flags and syncs both ways through the installed CLI', async () => {
    const dir = projectDir('explicit');
    expect((await cli(['init'], dir)).code).toBe(0);
    const bind = await cli(
      [
        'bind',
        '--provider',
        'acme',
        '--connector-package',
        'acme-tracker-connector',
        '--set',
        'project=demo',
        '--set',
        `baseUrl=${fake.url}`,
        '--credential-env',
        'token=ACME_TOKEN',
      ],
      dir,
    );
    expect(bind.code, bind.stderr).toBe(0);
    const pull = await cli(['--json', 'sync'], dir);
    expect(pull.code, pull.stdout + pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ stats: { pulledCreated: 2 }, failures: [] });
    const create = await cli(['issues', 'create', '--title', 'Written locally'], dir);
    expect(create.code, create.stderr).toBe(0);
    const push = await cli(['--json', 'sync'], dir);
    expect(JSON.parse(push.stdout)).toMatchObject({ stats: { pushedCreated: 1 }, failures: [] });
    expect([...fake.issues.values()].map((issue) => issue.title)).toContain('Written locally');
  });

  it('passes runConnectorConformance in the project, against the fake copied there', async () => {
    const testDir = projectDir('test');
    copyFileSync(join(ACME_EXAMPLE, 'test/acme-fake.ts'), join(testDir, 'acme-fake.ts'));
    const suite = readFileSync(join(ACME_EXAMPLE, 'test/acme-conformance.test.ts'), 'utf8');
    expect(suite).toContain("from '../src/index.js'");
    writeFileSync(
      join(testDir, 'acme.conformance.test.ts'),
      suite.replace("from '../src/index.js'", "from 'acme-tracker-connector'"),
    );
    const result = await project.exec(
      'vitest',
      ['run', '--dir', 'test', '--reporter=json', '--outputFile=conformance.json'],
      { cwd: project.dir },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(project.dir, 'conformance.json'), 'utf8'));
    expect(report).toMatchObject({ numFailedTests: 0 });
    expect(report.numPassedTests).toBeGreaterThanOrEqual(14);
    // acme does not declare reportsDeletions, so only the suite's deletion checks may be skipped.
    const skipped = (report.testResults as { assertionResults: { status: string; title: string }[] }[])
      .flatMap((file) => file.assertionResults)
      .filter((test) => test.status !== 'passed')
      .map((test) => test.title);
    expect(
      skipped.every((title) => title.startsWith('deletions:')),
      skipped.join('\n'),
    ).toBe(true);
  });

  it('init --provider acme --workspace demo, then sync with ACME_TOKEN', async () => {
    const dir = projectDir('guide');
    const init = await cli(
      ['init', '--provider', 'acme', '--workspace', 'demo', '--set', `baseUrl=${fake.url}`],
      dir,
    );
    expect(init.code, init.stderr).toBe(0);
    expect(trackerConfig(dir)).toMatchObject({
      provider: 'acme',
      connector: { project: 'demo', baseUrl: fake.url },
    });
    expect(trackerConfig(dir).connector).not.toHaveProperty('workspace');
    const rebind = await cli(['bind', '--workspace', 'demo'], dir);
    expect(rebind.code, rebind.stderr).toBe(0);
    const sync = await cli(['--json', 'sync'], dir);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      stats: { pulledCreated: fake.issues.size },
      failures: [],
    });
  });

  it('discover lists acme by its spec-kitty-connector keyword', async () => {
    const dir = projectDir('discover');
    expect((await cli(['init'], dir)).code).toBe(0);
    const discover = await cli(['--json', 'discover'], dir);
    expect(discover.code, discover.stderr).toBe(0);
    expect(JSON.parse(discover.stdout).connectors).toContainEqual(
      expect.objectContaining({ id: 'acme', packageName: 'acme-tracker-connector', installed: true }),
    );
  });

  it('a CLI installed elsewhere loads the connector from the project', async () => {
    const bin = project.cliElsewhere();
    const dir = join(project.dir, 'explicit');
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      import('node:child_process').then(({ execFile }) =>
        execFile(
          process.execPath,
          [bin, '--json', 'sync'],
          { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
        ),
      );
    });
    expect(result.code, result.out).toBe(0);
  });
});
