// node --test scripts/check-connector-shape.test.mjs (run by `pnpm check:connectors`).
// Feeds the shape check fixture packages written to a temporary directory: one with the shape
// passes, and each way of breaking it is reported, naming the file and the export.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkConnectorPackage } from './check-connector-shape.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'check-connector-shape.mjs');
const work = mkdtempSync(join(tmpdir(), 'connector-shape-'));
after(() => rmSync(work, { recursive: true, force: true }));

const GOOD_INDEX = `import { registerConnector } from '@spec-kitty/core';
import type { AcmeConnectorConfigInput } from './acme-config';
import { acmeConnectorDefinition } from './acme-definition';

registerConnector(acmeConnectorDefinition);

export type { AcmeConnectorConfig, AcmeConnectorConfigInput } from './acme-config';
export { AcmeConnector, type AcmeConnectorOptions } from './acme-connector';
export { acmeConnectorDefinition } from './acme-definition';
export { AcmeRateLimitError } from './acme-errors';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    acme: AcmeConnectorConfigInput;
  }
}
`;

const GOOD_CONNECTOR = `export interface AcmeConnectorOptions {}
export class AcmeConnector implements TrackerConnector {
  constructor(config: AcmeConnectorConfigInput, options: AcmeConnectorOptions = {}) {
    this.config = parseConnectorConfig('acme', acmeConfigSchema, config);
  }
}
`;

const GOOD_MANIFEST = {
  name: 'connector-acme-fixture',
  keywords: ['spec-kitty', 'spec-kitty-connector'],
  sideEffects: ['./dist/index.js'],
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
};

/** Writes a package `connector-acme` under a fresh directory; `changes` replace or drop (null) files. */
function fixture(name, changes = {}) {
  const dir = join(work, name, 'connector-acme');
  const files = {
    'package.json': JSON.stringify(GOOD_MANIFEST),
    'src/index.ts': GOOD_INDEX,
    'src/acme-config.ts': 'export const acmeConfigSchema = {};\n',
    'src/acme-definition.ts': 'export const acmeConnectorDefinition = {};\n',
    'src/acme-connector.ts': GOOD_CONNECTOR,
    'src/acme-mapping.ts': 'export function toCanonical() {}\n',
    ...changes,
  };
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    if (text !== null) writeFileSync(join(dir, path), text);
  }
  return dir;
}

function run(dir) {
  return spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
}

describe('check-connector-shape', () => {
  it('passes a package with the shape', () => {
    const dir = fixture('good');
    assert.deepEqual(checkConnectorPackage(dir), []);
    const result = run(dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /1 connector packages have the package shape/);
  });

  it('fails a bad package, naming each missing file and each forbidden or missing export', () => {
    const dir = fixture('bad', {
      'src/acme-config.ts': null,
      'src/acme-mapping.ts': null,
      'package.json': JSON.stringify({ ...GOOD_MANIFEST, keywords: ['acme'], sideEffects: false }),
      'src/acme-connector.ts': GOOD_CONNECTOR.replace(
        'AcmeConnectorConfigInput',
        'AcmeConnectorConfig',
      ).replace("parseConnectorConfig('acme', acmeConfigSchema, config)", 'config'),
      'src/index.ts': GOOD_INDEX.replace("export { VERSION } from './version';\n", '')
        .replace(
          'export type { AcmeConnectorConfig, AcmeConnectorConfigInput }',
          'export type { AcmeConnectorConfig }',
        )
        .replace(
          "export { acmeConnectorDefinition } from './acme-definition';",
          "export { acmeConnectorDefinition } from './acme-definition';\nexport { acmeConfigSchema } from './acme-config';\nexport { parseAcmeLines, ACME_LINE_PATTERN } from './acme-parser';\nexport * from './acme-mapping';",
        ),
    });
    const result = run(dir);
    assert.equal(result.status, 1);
    const expected = [
      'src/acme-config.ts: missing',
      'src/acme-mapping.ts: missing',
      'package.json: keywords must include "spec-kitty-connector"',
      'package.json: sideEffects must list "./dist/index.js"',
      'src/acme-connector.ts: the constructor must be (config: AcmeConnectorConfigInput, options: AcmeConnectorOptions)',
      "src/acme-connector.ts: the constructor must validate its config with the schema through core's parseConnectorConfig",
      "src/index.ts: `export * from './acme-mapping'` re-exports internals",
      'src/index.ts: must export `AcmeConnectorConfigInput`',
      'src/index.ts: must export `VERSION`',
      'src/index.ts: exports the schema `acmeConfigSchema`',
      "src/index.ts: exports `parseAcmeLines` from './acme-parser'",
      "src/index.ts: exports `ACME_LINE_PATTERN` from './acme-parser'",
    ];
    for (const line of expected)
      assert.ok(result.stderr.includes(`connector-acme/${line}`), `missing: ${line}`);
    assert.match(result.stderr, /12 problem\(s\) in 1 connector package\(s\)/);
  });

  it('reports a missing definition export and a missing ConnectorTypes augmentation', () => {
    const dir = fixture('no-definition', {
      'src/index.ts': GOOD_INDEX.replace(
        "export { acmeConnectorDefinition } from './acme-definition';\n",
        '',
      ).replace(/declare module[\s\S]*$/, ''),
    });
    assert.deepEqual(checkConnectorPackage(dir), [
      'src/index.ts: must export the definition `acmeConnectorDefinition`',
      "src/index.ts: must augment `interface ConnectorTypes` in `declare module '@spec-kitty/core'`",
    ]);
  });

  it('names the definition exactly: `<prefix>ConnectorDefinition`, not another casing', () => {
    const dir = fixture('definition-casing', {
      'src/index.ts': GOOD_INDEX.replaceAll('acmeConnectorDefinition', 'aCMEConnectorDefinition'),
      'src/acme-definition.ts': 'export const aCMEConnectorDefinition = {};\n',
    });
    assert.deepEqual(checkConnectorPackage(dir), [
      'src/index.ts: must export the definition `acmeConnectorDefinition`',
      "src/index.ts: exports `aCMEConnectorDefinition` from './acme-definition': only the definition, the connector class, " +
        'error classes and VERSION are runtime exports (helpers, parsers, argv builders, patterns and constants stay internal)',
    ]);
  });

  it('allows a deprecated alias of a renamed export, and only a deprecated one', () => {
    const alias = "export { acmeDefinition } from './acme-definition';\n";
    const deprecated = fixture('deprecated', {
      'src/index.ts': GOOD_INDEX + alias,
      'src/acme-definition.ts':
        'export const acmeConnectorDefinition = {};\n/** @deprecated Renamed `acmeConnectorDefinition`. */\nexport const acmeDefinition = acmeConnectorDefinition;\n',
    });
    assert.deepEqual(checkConnectorPackage(deprecated), []);
    const plain = fixture('not-deprecated', {
      'src/index.ts': GOOD_INDEX + alias,
      'src/acme-definition.ts':
        'export const acmeConnectorDefinition = {};\nexport const acmeDefinition = acmeConnectorDefinition;\n',
    });
    assert.equal(checkConnectorPackage(plain).length, 1);
  });
});
