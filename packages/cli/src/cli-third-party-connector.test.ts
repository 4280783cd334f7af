// A third-party connector installed in the PROJECT's node_modules (not resolvable from the CLI's
// own folder, as with a globally installed CLI): found by its package.json keyword, bound
// through its own definition's CLI binding, discovered, and run.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes';
import { runCli } from './test-support';

const CORE_DIR = dirname(fileURLToPath(import.meta.resolve('@spec-kitty/core/package.json')));
const MEMORY_DIR = dirname(fileURLToPath(import.meta.resolve('@spec-kitty/connector-memory/package.json')));

// A strict Standard Schema written by hand: unknown keys (e.g. a stray `workspace`) are refused.
const ACME_CONNECTOR = `
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { CONNECTOR_PROTOCOL_VERSION, defineConnector, registerConnector } from '@spec-kitty/core';

const KEYS = ['project', 'token'];
const configSchema = {
  '~standard': {
    version: 1,
    vendor: 'acme',
    validate(value) {
      const issues = [];
      for (const key of Object.keys(value ?? {}))
        if (!KEYS.includes(key)) issues.push({ message: 'unknown config key', path: [key] });
      for (const key of KEYS)
        if (typeof value?.[key] !== 'string' || value[key] === '') issues.push({ message: key + ' is required', path: [key] });
      return issues.length > 0 ? { issues } : { value };
    },
  },
};

export const acmeConnectorDefinition = defineConnector({
  id: 'acme',
  displayName: 'Acme Tracker',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: 'acme-tracker-connector',
  packageVersion: '3.1.4',
  mode: 'direct',
  configSchema,
  create: (config) => {
    const inner = new InMemoryConnector({ name: 'acme', workspace: config.project });
    return inner;
  },
  cli: {
    workspaceHint: 'the Acme project key, e.g. ACME-1',
    workspaceToConfig(workspace) {
      if (!/^[A-Z]+-\\d+$/.test(workspace)) throw new Error('not reached in these tests');
      return { project: workspace };
    },
    credentialEnv: { token: 'ACME_TOKEN' },
  },
});
registerConnector(acmeConnectorDefinition);
`;

// A connector without a CLI binding (config through --set only).
const PLAIN_CONNECTOR = `
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { CONNECTOR_PROTOCOL_VERSION, defineConnector, registerConnector } from '@spec-kitty/core';
registerConnector(defineConnector({
  id: 'plainco',
  displayName: 'Plain Co',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: '@plainco/connector',
  packageVersion: '1.0.0',
  mode: 'direct',
  configSchema: { '~standard': { version: 1, vendor: 'plainco', validate: (value) => ({ value }) } },
  create: () => new InMemoryConnector({ name: 'plainco', workspace: 'plain' }),
}));
`;

function writePackage(
  modules: string,
  name: string,
  manifest: Record<string, unknown>,
  source: string,
): void {
  const dir = join(modules, ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', ...manifest }),
  );
  writeFileSync(join(dir, 'index.js'), source);
}

/** A project with its own node_modules: core and connector-memory linked in (as npm would install them), and the connectors. */
function createProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'third-party-project-'));
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@spec-kitty'), { recursive: true });
  symlinkSync(CORE_DIR, join(modules, '@spec-kitty', 'core'), 'dir');
  symlinkSync(MEMORY_DIR, join(modules, '@spec-kitty', 'connector-memory'), 'dir');
  writePackage(
    modules,
    'acme-tracker-connector',
    { keywords: ['issue-tracker', 'spec-kitty-connector'], exports: { '.': { import: './index.js' } } },
    ACME_CONNECTOR,
  );
  writePackage(
    modules,
    '@plainco/connector',
    { keywords: ['spec-kitty-connector'], main: './index.js' },
    PLAIN_CONNECTOR,
  );
  writePackage(
    modules,
    'unrelated-package',
    { keywords: ['tracker'] },
    'throw new Error("must not be imported");',
  );
  return project;
}

function readConfig(project: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(project, '.spec-kitty', 'tracker.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('a third-party connector installed in the project', () => {
  let project: string;
  beforeAll(() => {
    project = createProject();
  });

  it('is not resolvable from the CLI package itself (the situation of a global CLI)', () => {
    expect(() => import.meta.resolve('acme-tracker-connector')).toThrow();
  });

  it('init --provider acme finds the package by its keyword, with no config and no --connector-package', async () => {
    const run = await runCli(['--json', 'init', '--provider', 'acme', '--workspace', 'ACME-1'], {
      cwd: project,
    });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    expect(run.json()).toMatchObject({ connectorInstalled: true });
    const config = readConfig(project);
    expect(config.connectorPackage).toBe('acme-tracker-connector');
    // Only what the connector's binding returns: a strict schema never sees a `workspace` key.
    expect(config.connector).toEqual({ project: 'ACME-1' });
    expect(run.json<{ credentials: unknown[] }>().credentials).toEqual([
      { key: 'token', variable: 'ACME_TOKEN', present: false },
    ]);
  });

  it('pulls with the credential from its own environment variable', async () => {
    const missing = await runCli(['pull'], { cwd: project });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('token (environment variable ACME_TOKEN)');
    const run = await runCli(['--json', 'pull'], { cwd: project, env: { ACME_TOKEN: 'acme-secret' } });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
  });

  it('discover lists keyword-tagged connectors, and the bound one is reachable', async () => {
    const run = await runCli(['--json', 'discover'], { cwd: project, env: { ACME_TOKEN: 'acme-secret' } });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    const result = run.json<{
      connectors: { id: string; packageName: string; installed: boolean }[];
      bound: { reachable: boolean };
    }>();
    expect(result.connectors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'acme', packageName: 'acme-tracker-connector', installed: true }),
        expect.objectContaining({ id: 'plainco', packageName: '@plainco/connector', installed: true }),
      ]),
    );
    expect(result.connectors.some((row) => row.packageName === 'unrelated-package')).toBe(false);
    expect(result.bound.reachable).toBe(true);
  });

  it('bind keeps connectorPackage when the provider does not change', async () => {
    const run = await runCli(['bind', '--provider', 'acme', '--workspace', 'ACME-2'], { cwd: project });
    expect(run.code, run.stderr).toBe(ExitCode.OK);
    expect(readConfig(project)).toMatchObject({
      connectorPackage: 'acme-tracker-connector',
      connector: { project: 'ACME-2' },
    });
  });

  it('bind keeps a package set before the provider when that package registers the new provider', async () => {
    const other = createProject();
    expect((await runCli(['init'], { cwd: other })).code).toBe(ExitCode.OK);
    const first = await runCli(['bind', '--connector-package', 'acme-tracker-connector'], { cwd: other });
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    const second = await runCli(['bind', '--provider', 'acme'], { cwd: other });
    expect(second.code, second.stderr).toBe(ExitCode.OK);
    expect(readConfig(other).connectorPackage).toBe('acme-tracker-connector');
  });

  it('--workspace for a connector without a CLI binding tells the user to use --set', async () => {
    const other = createProject();
    const run = await runCli(['init', '--provider', 'plainco', '--workspace', 'x'], { cwd: other });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('has no CLI workspace binding');
    expect(run.stderr).toContain('--set key=value');
    const ok = await runCli(['init', '--provider', 'plainco', '--set', 'region=eu'], { cwd: other });
    expect(ok.code, ok.stderr).toBe(ExitCode.OK);
    expect(readConfig(other)).toMatchObject({
      connectorPackage: '@plainco/connector',
      connector: { region: 'eu' },
    });
  });

  it('init and bind --help name --connector-package', async () => {
    for (const command of ['init', 'bind']) {
      const help = await runCli([command, '--help'], { cwd: project });
      expect(help.stdout).toContain('--connector-package');
      expect(help.stdout).toContain('spec-kitty-connector');
    }
  });

  it('an unknown provider names --connector-package and the keyword', async () => {
    const other = createProject();
    const run = await runCli(['init', '--provider', 'zeta'], { cwd: other });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('--connector-package <name>');
    expect(run.stderr).toContain('"spec-kitty-connector" keyword');
  });
});
