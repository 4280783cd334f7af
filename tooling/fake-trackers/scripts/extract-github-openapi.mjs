#!/usr/bin/env node
// Extracts the GitHub REST operations the GitHub fake serves from GitHub's official OpenAPI
// document (npm `@octokit/openapi`), dereferenced and sanitised, into a small committed JSON file.
//
//   node tooling/fake-trackers/scripts/extract-github-openapi.mjs [--from <api.github.com.json>]
//
// Without --from it runs `npm pack @octokit/openapi@<version>` in a temp dir (the package is
// ~385 MB unpacked, so it is never a dependency) and reads `generated/api.github.com.json`.
//
// Sanitising (see shared/reference/toolchain.md §5.1 and appendix C):
//  * OpenAPI 3.0 `nullable: true` becomes JSON Schema: `type: [t, "null"]` when a type is given,
//    otherwise (the "typeless nullable" that silently disables validators) a `{type: "null"}` branch
//    is added to oneOf/anyOf, or allOf is wrapped in anyOf[allOf, null];
//  * `example`, `examples`, `description`, `discriminator`, `readOnly`, `writeOnly`, `deprecated`,
//    `x-*` keys are dropped (ajv runs with strict: false anyway; this keeps the file small);
//  * every `$ref` is inlined (the GitHub document is acyclic for these operations; a cycle throws).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@octokit/openapi';
const VERSION = '23.0.2';
const here = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(here, '../src/github/github-openapi.subset.generated.json');

/** [method, path] of every operation the fake implements. */
export const OPERATIONS = [
  ['get', '/repos/{owner}/{repo}/issues'],
  ['post', '/repos/{owner}/{repo}/issues'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}'],
  ['patch', '/repos/{owner}/{repo}/issues/{issue_number}'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['get', '/repos/{owner}/{repo}/issues/events'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues'],
  ['delete', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issue'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/parent'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by'],
  ['delete', '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking'],
  ['get', '/repos/{owner}/{repo}/labels'],
  ['get', '/user'],
  ['get', '/user/orgs'],
  ['get', '/user/repos'],
  ['get', '/orgs/{org}/repos'],
];

const DROP = new Set([
  'example',
  'examples',
  'description',
  'discriminator',
  'readOnly',
  'writeOnly',
  'deprecated',
  'externalDocs',
  'title',
]);

function loadSpec() {
  const fromIndex = process.argv.indexOf('--from');
  if (fromIndex !== -1) {
    const file = process.argv[fromIndex + 1];
    if (!file) throw new Error('--from needs a path to api.github.com.json');
    return { spec: JSON.parse(readFileSync(file, 'utf8')), source: file };
  }
  const dir = mkdtempSync(join(tmpdir(), 'octokit-openapi-'));
  try {
    const tarball = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--silent'], {
      cwd: dir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['-xzf', tarball, 'package/generated/api.github.com.json'], { cwd: dir });
    const text = readFileSync(join(dir, 'package/generated/api.github.com.json'), 'utf8');
    return { spec: JSON.parse(text), source: `${PACKAGE}@${VERSION}/generated/api.github.com.json` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function resolvePointer(spec, ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  let node = spec;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return node;
}

function deref(spec, node, stack = []) {
  if (Array.isArray(node)) return node.map((item) => deref(spec, item, stack));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (stack.includes(node.$ref)) throw new Error(`cyclic $ref: ${[...stack, node.$ref].join(' -> ')}`);
    return deref(spec, resolvePointer(spec, node.$ref), [...stack, node.$ref]);
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = deref(spec, value, stack);
  return out;
}

let nullableFixed = 0;
let typelessFixed = 0;
/** OpenAPI 3.0 schema -> JSON Schema (draft-07 subset that ajv understands). */
function sanitizeSchema(node) {
  if (Array.isArray(node)) return node.map(sanitizeSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, sanitizeSchema(schema)]),
      );
      continue;
    }
    out[key] = sanitizeSchema(value);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      nullableFixed += 1;
    } else if (out.oneOf || out.anyOf) {
      const key = out.oneOf ? 'oneOf' : 'anyOf';
      out[key] = [...out[key], { type: 'null' }];
      typelessFixed += 1;
    } else if (out.allOf) {
      out.anyOf = [{ allOf: out.allOf }, { type: 'null' }];
      delete out.allOf;
      typelessFixed += 1;
    } else {
      typelessFixed += 1; // typeless, no combinator: already accepts null
    }
  } else if (out.nullable === false) {
    delete out.nullable;
  }
  return out;
}

function extract(spec) {
  const operations = {};
  for (const [method, path] of OPERATIONS) {
    const raw = spec.paths?.[path]?.[method];
    if (!raw) throw new Error(`${method.toUpperCase()} ${path} is missing from the spec`);
    const operation = deref(spec, raw);
    const parameters = (operation.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true,
      schema: sanitizeSchema(parameter.schema ?? {}),
    }));
    const bodyContent = operation.requestBody?.content?.['application/json'];
    const requestBody = bodyContent
      ? {
          required: operation.requestBody.required === true,
          schema: sanitizeSchema(bodyContent.schema ?? {}),
        }
      : null;
    const responses = {};
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const content = response.content?.['application/json'];
      responses[status] = { schema: content?.schema ? sanitizeSchema(content.schema) : null };
    }
    operations[`${method.toUpperCase()} ${path}`] = {
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path,
      parameters,
      requestBody,
      responses,
    };
  }
  return operations;
}

const { spec, source } = loadSpec();
console.error(`reading ${source}`);
const operations = extract(spec);
const document = {
  $comment: `Generated by tooling/fake-trackers/scripts/extract-github-openapi.mjs from ${PACKAGE}@${VERSION} generated/api.github.com.json (${spec.info?.version ?? '?'}). Do not edit by hand.`,
  source: `${PACKAGE}@${VERSION}`,
  openapi: spec.openapi,
  info: { title: spec.info?.title, version: spec.info?.version },
  operations,
};
writeFileSync(OUT, `${JSON.stringify(document)}\n`);
console.error(
  `wrote ${OUT}: ${Object.keys(operations).length} operations; ${nullableFixed} typed nullable and ${typelessFixed} typeless nullable schemas rewritten`,
);
