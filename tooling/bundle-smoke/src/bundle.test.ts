import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const outDir = mkdtempSync(join(tmpdir(), 'spec-kitty-bundle-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function bundle(entry: string, outfile: string) {
  return build({
    entryPoints: [join(fixtures, entry)],
    outfile: join(outDir, outfile),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    treeShaking: true,
    logLevel: 'silent',
    // Keep paths under node_modules, as in a real install, so package.json "sideEffects" is honoured.
    preserveSymlinks: true,
  });
}

describe('bundled connectors', () => {
  it('keeps a bare `import "@spec-kitty/connector-memory"` and its registration', async () => {
    const result = await bundle('bare-import.ts', 'bare-import.mjs');
    const ignored = result.warnings.filter(
      (warning) => warning.id === 'ignored-bare-import' || /no side effects/.test(warning.text),
    );
    expect(ignored, JSON.stringify(result.warnings)).toEqual([]);
    const output = execFileSync(process.execPath, [join(outDir, 'bare-import.mjs')], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(['memory']);
  });

  it('keeps the registration of every first-party connector', async () => {
    const result = await bundle('bare-import-all.ts', 'bare-import-all.mjs');
    const ignored = result.warnings.filter(
      (warning) => warning.id === 'ignored-bare-import' || /no side effects/.test(warning.text),
    );
    expect(ignored, JSON.stringify(ignored)).toEqual([]);
    const output = execFileSync(process.execPath, [join(outDir, 'bare-import-all.mjs')], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual([
      'azure_devops',
      'beads',
      'fp',
      'github',
      'gitlab',
      'jira',
      'linear',
      'memory',
    ]);
  });

  it('two bundled copies of core share one registry', async () => {
    await bundle('register-from-copy.ts', 'copy-a.mjs');
    await bundle('lookup-from-copy.ts', 'copy-b.mjs');
    const copyA = await import(pathToFileURL(join(outDir, 'copy-a.mjs')).href);
    const copyB = await import(pathToFileURL(join(outDir, 'copy-b.mjs')).href);
    expect(copyA.createConnector).not.toBe(copyB.createConnector);
    expect(copyB.listConnectorDefinitions().map((definition: { id: string }) => definition.id)).toContain(
      'memory',
    );
    const connector = copyB.createConnector('memory', { name: 'from-b', workspace: 'w' });
    expect(connector.name).toBe('from-b');
  });
});
