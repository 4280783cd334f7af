import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FakeRequest } from '../server/fake-server';
import { sharedSpecPath } from '../server/shared-specs';

/**
 * Request validation against the official Azure DevOps 7.1 specs (Swagger 2.0) in
 * `shared/specs/azure-devops/`, sanitised in memory at load time (never written back):
 * - strip the UTF-8 BOM;
 * - drop `x-ms-examples` (they `$ref` example files that are not shipped);
 * - typeless `nullable` schemas become `anyOf [..., null]`;
 * - `JsonPatchDocument` becomes an array of `JsonPatchOperation` whose `value` may be any JSON
 *   (the spec says `object` + `allOf[array]`, which rejects every real JSON Patch).
 * The spec declares WIQL only as `/{organization}/{project}/{team}/_apis/wit/wiql`; the team
 * segment is optional on the real service, so the fake serves both and validates the team-less
 * form against the same operation with `team` treated as absent.
 */

interface SpecParameter {
  in: 'path' | 'query' | 'body' | 'header';
  name: string;
  required?: boolean;
  type?: string;
  enum?: unknown[];
  schema?: unknown;
  $ref?: string;
}

interface SpecOperation {
  operationId?: string;
  consumes?: string[];
  parameters?: SpecParameter[];
  'x-ms-preview'?: boolean;
}

interface LoadedSpec {
  id: string;
  doc: {
    paths: Record<string, Record<string, SpecOperation>>;
    'x-ms-paths'?: Record<string, Record<string, SpecOperation>>;
    parameters?: Record<string, SpecParameter>;
    definitions: Record<string, unknown>;
  };
}

export interface AzureSpecValidator {
  /** Problems with the request (empty = valid) and the HTTP status the real service would answer. */
  validate(request: FakeRequest, specPath: string): { problems: string[]; status: number };
}

function sanitize(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) sanitize(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  delete record['x-ms-examples'];
  if (record.nullable === true && record.type === undefined) {
    if (Array.isArray(record.oneOf)) record.oneOf.push({ type: 'null' });
    else if (Array.isArray(record.anyOf)) record.anyOf.push({ type: 'null' });
    else if (Array.isArray(record.allOf)) {
      record.anyOf = [{ allOf: record.allOf }, { type: 'null' }];
      delete record.allOf;
    }
    delete record.nullable;
  }
  for (const value of Object.values(record)) sanitize(value);
}

function load(file: string, id: string): LoadedSpec | null {
  const path = sharedSpecPath(`azure-devops/${file}`);
  if (path === null) return null;
  const doc = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as LoadedSpec['doc'];
  sanitize(doc);
  const definitions = doc.definitions as Record<string, Record<string, unknown>>;
  if (definitions.JsonPatchDocument) {
    definitions.JsonPatchDocument = { type: 'array', items: { $ref: '#/definitions/JsonPatchOperation' } };
    const operation = definitions.JsonPatchOperation as {
      properties: { value: Record<string, unknown> };
      required?: string[];
    };
    delete operation.properties.value.type;
    operation.required = ['op', 'path'];
  }
  return { id, doc };
}

const INTEGER = /^-?\d+$/;

type CheckResult = { problems: string[]; status: number };
type Candidate = { spec: LoadedSpec; operation: SpecOperation };

/** The loaded specs with their compiled body schemas. */
interface Specs {
  readonly specs: LoadedSpec[];
  readonly ajv: Ajv;
  readonly compiled: Map<string, ValidateFunction>;
}

/** Loads the specs once; returns null when they are not present (tests then skip spec checks). */
export function loadAzureSpecValidator(): AzureSpecValidator | null {
  const specs = [load('workItemTracking-7.1.json', 'wit'), load('core-7.1.json', 'core')].filter(
    (spec): spec is LoadedSpec => spec !== null,
  );
  if (specs.length === 0) return null;
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'binary']) ajv.addFormat(format, true);
  for (const spec of specs) ajv.addSchema({ $id: spec.id, definitions: spec.doc.definitions });
  const loaded: Specs = { specs, ajv, compiled: new Map() };
  return { validate: (request, specPath) => validate(loaded, request, specPath) };
}

/** The operation at `specPath` plus its `x-ms-paths` overloads (`path?param=…`), in spec order. */
function findAll(loaded: Specs, specPath: string, method: string): Candidate[] {
  const found: Candidate[] = [];
  for (const spec of loaded.specs) {
    const operation = spec.doc.paths[specPath]?.[method.toLowerCase()];
    if (operation) found.push({ spec, operation });
    for (const [key, item] of Object.entries(spec.doc['x-ms-paths'] ?? {})) {
      const overload = item[method.toLowerCase()];
      if (key.startsWith(`${specPath}?`) && overload) found.push({ spec, operation: overload });
    }
  }
  return found;
}

function validate(loaded: Specs, request: FakeRequest, specPath: string): CheckResult {
  let lookup = specPath;
  let teamless = false;
  if (findAll(loaded, lookup, request.method).length === 0 && lookup.endsWith('/_apis/wit/wiql')) {
    lookup = lookup.replace('/{project}/_apis', '/{project}/{team}/_apis');
    teamless = true;
  }
  const candidates = findAll(loaded, lookup, request.method);
  if (candidates.length === 0)
    return {
      problems: [`${request.method} ${specPath} is not in the Azure DevOps 7.1 specs`],
      status: 404,
    };
  let first: CheckResult | null = null;
  for (const candidate of candidates) {
    const result = check(loaded, request, candidate, teamless);
    if (result.problems.length === 0) return result;
    first ??= result;
  }
  return first ?? { problems: [], status: 200 };
}

/** Checks one query parameter; returns the api-version the operation expects when it is that one. */
function checkQueryParameter(
  request: FakeRequest,
  parameter: SpecParameter,
  problems: string[],
): string | null {
  const value = request.query.get(parameter.name);
  let expectedVersion: string | null = null;
  if (parameter.name === 'api-version') {
    const description = String((parameter as { description?: string }).description ?? '');
    expectedVersion = /set to '([^']+)'/.exec(description)?.[1] ?? '7.1';
  }
  if (value === null) {
    if (parameter.required) problems.push(`query parameter '${parameter.name}' is required`);
    return expectedVersion;
  }
  if (parameter.type === 'integer' && !INTEGER.test(value))
    problems.push(`query parameter '${parameter.name}' must be an integer, got '${value}'`);
  if (parameter.type === 'boolean' && !/^(true|false)$/i.test(value))
    problems.push(`query parameter '${parameter.name}' must be a boolean, got '${value}'`);
  const allowed = parameter.enum?.map(String).map((item) => item.toLowerCase());
  if (parameter.enum && !allowed?.includes(value.toLowerCase())) {
    problems.push(
      `query parameter '${parameter.name}' must be one of ${parameter.enum.join(', ')}, got '${value}'`,
    );
  }
  return expectedVersion;
}

function checkBody(
  loaded: Specs,
  request: FakeRequest,
  spec: LoadedSpec,
  parameter: SpecParameter,
  problems: string[],
): void {
  if (request.rawBody === '') {
    if (parameter.required) problems.push('a request body is required');
    return;
  }
  if (request.body === undefined) {
    problems.push('the request body is not valid JSON');
    return;
  }
  const ref = (parameter.schema as { $ref?: string } | undefined)?.$ref;
  if (!ref) return;
  const key = `${spec.id}${ref}`;
  let validator = loaded.compiled.get(key);
  if (!validator) {
    validator = loaded.ajv.getSchema(key);
    if (!validator) throw new Error(`cannot compile ${key}`);
    loaded.compiled.set(key, validator);
  }
  if (!validator(request.body)) {
    for (const error of validator.errors ?? [])
      problems.push(`body${error.instancePath} ${error.message ?? 'is invalid'}`);
  }
}

/** api-version: the operation's version; preview operations need the -preview suffix. */
function checkApiVersion(request: FakeRequest, expected: string | null, problems: string[]): void {
  const apiVersion = request.query.get('api-version');
  if (apiVersion === null || expected === null) return;
  if (expected.includes('-preview') && !apiVersion.includes('-preview')) {
    problems.push(
      `The requested version "${apiVersion}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${expected}"`,
    );
  } else if (!apiVersion.startsWith('7.1')) {
    problems.push(`api-version must be 7.1 for this fake (got '${apiVersion}')`);
  }
}

/** Content type: real ADO answers 415 when it is not one the operation consumes. */
function checkContentType(request: FakeRequest, operation: SpecOperation): CheckResult | null {
  if (request.rawBody === '' || !operation.consumes || operation.consumes.length === 0) return null;
  const type =
    String(request.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  if (operation.consumes.includes(type)) return null;
  return {
    problems: [
      `The request indicated a Content-Type of "${type || '<none>'}" for method type "${request.method}" which is not supported. Valid content types for this method are: ${operation.consumes.join(', ')}.`,
    ],
    status: 415,
  };
}

function check(
  loaded: Specs,
  request: FakeRequest,
  { spec, operation }: Candidate,
  teamless: boolean,
): CheckResult {
  const problems: string[] = [];
  const parameters = (operation.parameters ?? []).map((parameter) => {
    if (!parameter.$ref) return parameter;
    const name = parameter.$ref.split('/').pop() ?? '';
    return spec.doc.parameters?.[name] ?? parameter;
  });
  let apiVersionExpected: string | null = null;
  for (const parameter of parameters) {
    if (parameter.in === 'query') {
      apiVersionExpected = checkQueryParameter(request, parameter, problems) ?? apiVersionExpected;
    } else if (parameter.in === 'path') {
      if (teamless && parameter.name === 'team') continue;
      const value = request.params[parameter.name];
      if (parameter.type === 'integer' && value !== undefined && !INTEGER.test(value))
        problems.push(`path parameter '${parameter.name}' must be an integer, got '${value}'`);
    } else if (parameter.in === 'body') {
      checkBody(loaded, request, spec, parameter, problems);
    }
  }
  checkApiVersion(request, apiVersionExpected, problems);
  if (problems.length > 0) return { problems, status: 400 };
  return checkContentType(request, operation) ?? { problems, status: 200 };
}
