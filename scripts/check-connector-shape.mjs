#!/usr/bin/env node
// Keeps every connector package to the one package shape (docs/guides/writing-a-connector.md,
// issue 14): `<p>-config.ts`, `<p>-definition.ts`, `<p>-connector.ts`, `<p>-mapping.ts` and a
// curated `index.ts` (the definition, the connector class, its Config/ConfigInput/Options types,
// error classes, VERSION and the ConnectorTypes augmentation; no schemas, parsers, argv builders,
// patterns, mapping helpers or constants), plus the package.json fields discovery and bundlers
// read. `<p>` is the directory's suffix: packages/connector-azure → `azure-config.ts`.
//
// Usage: node scripts/check-connector-shape.mjs [package-dir ...]
// Without arguments it checks every packages/connector-* except connector-testkit. Prints one
// line per problem naming the package, the file and the export; exits 1 when there is any.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NOT_CONNECTORS = new Set(['connector-testkit']);
/** The in-memory connector holds canonical issues as they are: there is nothing to map. */
const MAPPING_OPTIONAL = new Set(['memory']);
const VALIDATORS = /\b(parseConnectorConfig|validateConnectorConfig)\s*\(/;

/** The connector package directories under `root`/packages, testkit excluded. */
export function connectorPackageDirs(root = ROOT) {
  const packages = join(root, 'packages');
  return readdirSync(packages, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && entry.name.startsWith('connector-') && !NOT_CONNECTORS.has(entry.name),
    )
    .map((entry) => join(packages, entry.name))
    .sort();
}

/** Every problem of the package at `dir`, as human-readable lines (empty when it has the shape). */
export function checkConnectorPackage(dir) {
  const prefix = basename(dir).replace(/^connector-/, '');
  const problems = [];
  const problem = (file, message) => problems.push(`${file}: ${message}`);
  const src = (name) => join(dir, 'src', name);

  const required = ['index.ts', `${prefix}-config.ts`, `${prefix}-definition.ts`, `${prefix}-connector.ts`];
  if (!MAPPING_OPTIONAL.has(prefix)) required.push(`${prefix}-mapping.ts`);
  for (const name of required) {
    if (!existsSync(src(name))) problem(`src/${name}`, 'missing (every connector package has this file)');
  }
  checkPackageJson(dir, problem);

  const className = connectorClassName(src(`${prefix}-connector.ts`));
  if (existsSync(src(`${prefix}-connector.ts`))) {
    if (className === null) {
      problem(`src/${prefix}-connector.ts`, 'exports no connector class (`export class <Name>Connector`)');
    } else {
      checkConstructor(src, prefix, className, problem);
    }
  }
  if (existsSync(src('index.ts'))) checkIndex(src, prefix, className, problem);
  return problems;
}

function checkPackageJson(dir, problem) {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) {
    problem('package.json', 'missing');
    return;
  }
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes('spec-kitty-connector')) {
    problem(
      'package.json',
      'keywords must include "spec-kitty-connector" (discovery finds connectors by it)',
    );
  }
  const sideEffects = Array.isArray(manifest.sideEffects) ? manifest.sideEffects : [];
  if (!sideEffects.some((entry) => /^(\.\/)?dist\/index\.js$/.test(entry))) {
    problem(
      'package.json',
      'sideEffects must list "./dist/index.js" (importing the index registers the connector)',
    );
  }
  if (manifest.exports?.['.'] === undefined) problem('package.json', 'exports["."] is missing');
}

function connectorClassName(path) {
  if (!existsSync(path)) return null;
  const match = /^export class (\w+)\b[^{]*\bimplements\s+TrackerConnector\b/m.exec(
    readFileSync(path, 'utf8'),
  );
  return match?.[1] ?? null;
}

function checkConstructor(src, prefix, className, problem) {
  const file = `src/${prefix}-connector.ts`;
  const text = readFileSync(src(`${prefix}-connector.ts`), 'utf8');
  const signature = new RegExp(
    `constructor\\(\\s*\\w+\\??\\s*:\\s*${className}ConfigInput\\b[^,)]*,\\s*\\w+\\??\\s*:\\s*${className}Options\\b`,
  );
  if (!signature.test(text)) {
    problem(file, `the constructor must be (config: ${className}ConfigInput, options: ${className}Options)`);
  }
  const config = existsSync(src(`${prefix}-config.ts`))
    ? readFileSync(src(`${prefix}-config.ts`), 'utf8')
    : '';
  if (!VALIDATORS.test(text) && !VALIDATORS.test(config)) {
    problem(
      file,
      "the constructor must validate its config with the schema through core's parseConnectorConfig",
    );
  }
}

/** Exports of index.ts: name → { type-only, module it comes from }, plus barrels and the augmentation. */
function readIndex(path) {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const exports = new Map();
  const barrels = [];
  let augmentsConnectorTypes = false;
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const from = statement.moduleSpecifier?.text ?? null;
      const clause = statement.exportClause;
      if (clause === undefined) {
        barrels.push(from);
        continue;
      }
      if (!ts.isNamedExports(clause)) {
        barrels.push(from);
        continue;
      }
      for (const element of clause.elements) {
        exports.set(element.name.text, {
          typeOnly: statement.isTypeOnly || element.isTypeOnly,
          from,
          localName: (element.propertyName ?? element.name).text,
        });
      }
    } else if (ts.isModuleDeclaration(statement) && statement.name.text === '@spec-kitty/core') {
      const body = statement.body;
      augmentsConnectorTypes ||=
        body !== undefined &&
        ts.isModuleBlock(body) &&
        body.statements.some(
          (inner) => ts.isInterfaceDeclaration(inner) && inner.name.text === 'ConnectorTypes',
        );
    } else if (hasExportModifier(statement)) {
      const typeOnly = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
      for (const name of declaredNames(statement))
        exports.set(name, { typeOnly, from: null, localName: name });
    }
  }
  return { exports, barrels, augmentsConnectorTypes };
}

function hasExportModifier(statement) {
  return (ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : []).some(
    (modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword,
  );
}

function declaredNames(statement) {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.map((declaration) => declaration.name.getText());
  }
  return statement.name === undefined ? [] : [statement.name.text];
}

/** Whether the declaration of `name` in the module `from` (relative to src) is marked @deprecated. */
function isDeprecated(src, from, name) {
  if (from === null || !from.startsWith('./')) return false;
  const path = src(`${from.slice(2).replace(/\.js$/, '')}.ts`);
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  const declaration = new RegExp(
    `/\\*\\*(?:(?!\\*/)[\\s\\S])*@deprecated(?:(?!\\*/)[\\s\\S])*\\*/\\s*export (?:declare )?(?:const|let|function|class|type|interface) ${name}\\b`,
  );
  return declaration.test(text);
}

function checkIndex(src, prefix, className, problem) {
  const { exports, barrels, augmentsConnectorTypes } = readIndex(src('index.ts'));
  const file = 'src/index.ts';
  for (const from of barrels)
    problem(file, `\`export * from '${from}'\` re-exports internals; name each export`);

  const definition = `${prefix}ConnectorDefinition`;
  if (!exports.has(definition)) problem(file, `must export the definition \`${definition}\``);
  const allowedValues = new Set(['VERSION', definition, className]);

  const needed =
    className === null
      ? []
      : [className, `${className}Config`, `${className}ConfigInput`, `${className}Options`];
  for (const name of [...needed, 'VERSION']) {
    if (!exports.has(name)) problem(file, `must export \`${name}\``);
  }
  for (const name of [`${className}Config`, `${className}ConfigInput`]) {
    const entry = exports.get(name);
    if (className !== null && entry !== undefined && entry.from !== `./${prefix}-config`) {
      problem(file, `\`${name}\` must come from './${prefix}-config' (it comes from '${entry.from}')`);
    }
  }
  if (!augmentsConnectorTypes) {
    problem(file, "must augment `interface ConnectorTypes` in `declare module '@spec-kitty/core'`");
  }

  for (const [name, entry] of exports) {
    if (/schema$/i.test(name)) {
      problem(file, `exports the schema \`${name}\` (schemas stay internal; tests import their file)`);
      continue;
    }
    if (entry.typeOnly || allowedValues.has(name) || /Error$/.test(name)) continue;
    if (isDeprecated(src, entry.from, entry.localName)) continue;
    problem(
      file,
      `exports \`${name}\`${entry.from ? ` from '${entry.from}'` : ''}: only the definition, the connector class, ` +
        'error classes and VERSION are runtime exports (helpers, parsers, argv builders, patterns and constants stay internal)',
    );
  }
}

function main(argv) {
  const dirs = argv.length > 0 ? argv.map((dir) => resolve(dir)) : connectorPackageDirs();
  let count = 0;
  for (const dir of dirs) {
    const problems = checkConnectorPackage(dir);
    const name = relative(process.cwd(), dir) || dir;
    for (const line of problems) console.error(`check-connector-shape: ${name}/${line}`);
    count += problems.length;
  }
  if (count > 0) {
    console.error(`check-connector-shape: ${count} problem(s) in ${dirs.length} connector package(s)`);
    process.exitCode = 1;
  } else {
    console.log(`check-connector-shape: ${dirs.length} connector packages have the package shape`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
