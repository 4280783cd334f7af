import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FakeRequest, FakeResponse } from '../server/fake-server';

/** One operation of the committed subset (see scripts/extract-github-openapi.mjs). */
interface SubsetParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Record<string, unknown>;
}

interface SubsetOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: SubsetParameter[];
  requestBody: { required: boolean; schema: Record<string, unknown> } | null;
  responses: Record<string, { schema: Record<string, unknown> | null }>;
}

interface SubsetDocument {
  source: string;
  operations: Record<string, SubsetOperation>;
}

const SUBSET_URL = new URL('./github-openapi.subset.generated.json', import.meta.url);

/** `GET /repos/{owner}/{repo}/issues` style keys; also the fake's route names (endpoint labels). */
export type GitHubOperationKey = string;

interface CompiledOperation {
  operation: SubsetOperation;
  parameters: Map<string, { parameter: SubsetParameter; validate: ValidateFunction }>;
  body: ValidateFunction | null;
  responses: Map<string, ValidateFunction>;
}

function typeOf(schema: Record<string, unknown>): string | null {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((item) => item !== 'null') as string | undefined) ?? null;
  return null;
}

/** Query and path values arrive as strings; convert the way GitHub's API does before validating. */
function coerce(value: string, schema: Record<string, unknown>): unknown {
  switch (typeOf(schema)) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'array':
      return value.split(',');
    default:
      return value;
  }
}

function formatErrors(where: string, validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((error) => {
    const path = error.instancePath ? `${where}${error.instancePath}` : where;
    const extra =
      error.params && 'allowedValues' in error.params
        ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
        : '';
    return `${path} ${error.message ?? 'is invalid'}${extra}`;
  });
}

/**
 * Validates requests and responses of the GitHub fake against GitHub's official OpenAPI document
 * (the committed subset generated from `@octokit/openapi`). Unknown query parameters are
 * violations too: GitHub ignores them silently, which hides connector typos.
 */
export class GitHubOpenApiValidator {
  readonly source: string;
  readonly #documents: Record<string, SubsetOperation>;
  readonly #operations = new Map<string, CompiledOperation>();
  readonly #ajv: Ajv;

  constructor(document: SubsetDocument = JSON.parse(readFileSync(SUBSET_URL, 'utf8')) as SubsetDocument) {
    this.source = document.source;
    this.#documents = document.operations;
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.#ajv);
  }

  /** Compiles one operation on first use (compiling all of them up front costs seconds). */
  #compiled(key: string): CompiledOperation | undefined {
    const cached = this.#operations.get(key);
    if (cached) return cached;
    const operation = this.#documents[key];
    if (!operation) return undefined;
    const ajv = this.#ajv;
    const parameters = new Map<string, { parameter: SubsetParameter; validate: ValidateFunction }>();
    for (const parameter of operation.parameters) {
      parameters.set(`${parameter.in}:${parameter.name}`, {
        parameter,
        validate: ajv.compile(parameter.schema),
      });
    }
    const responses = new Map<string, ValidateFunction>();
    for (const [status, response] of Object.entries(operation.responses)) {
      if (response.schema) responses.set(status, ajv.compile(response.schema));
    }
    const compiled: CompiledOperation = {
      operation,
      parameters,
      body: operation.requestBody ? ajv.compile(operation.requestBody.schema) : null,
      responses,
    };
    this.#operations.set(key, compiled);
    return compiled;
  }

  has(key: GitHubOperationKey): boolean {
    return key in this.#documents;
  }

  operationKeys(): string[] {
    return Object.keys(this.#documents);
  }

  /** Problems with a request to `key` (empty = the real API would accept its shape). */
  validateRequest(key: GitHubOperationKey, request: FakeRequest): string[] {
    const compiled = this.#compiled(key);
    if (!compiled) return [`${key} is not an operation of the GitHub OpenAPI subset`];
    const problems: string[] = [];
    const known = new Set<string>();
    for (const { parameter, validate } of compiled.parameters.values()) {
      let raw: string | null | undefined;
      if (parameter.in === 'path') raw = request.params[parameter.name];
      else if (parameter.in === 'query') {
        known.add(parameter.name);
        const all = request.query.getAll(parameter.name);
        if (all.length > 1)
          problems.push(`query parameter ${parameter.name} is repeated (${all.length} times)`);
        raw = all[0];
      } else if (parameter.in === 'header') {
        const header = request.headers[parameter.name.toLowerCase()];
        raw = Array.isArray(header) ? header[0] : header;
      } else continue;
      if (raw === undefined || raw === null) {
        if (parameter.required) problems.push(`${parameter.in} parameter ${parameter.name} is required`);
        continue;
      }
      if (!validate(coerce(raw, parameter.schema))) {
        problems.push(...formatErrors(`${parameter.in} parameter ${parameter.name}`, validate));
      }
    }
    for (const name of new Set(request.query.keys())) {
      if (!known.has(name)) problems.push(`query parameter ${name} is not defined for ${key}`);
    }
    const hasBody = request.rawBody.trim().length > 0;
    if (compiled.body) {
      if (!hasBody) {
        if (compiled.operation.requestBody?.required) problems.push('request body is required');
      } else if (request.body === undefined) {
        problems.push('request body is not valid JSON');
      } else {
        const contentType = String(request.headers['content-type'] ?? '');
        if (!contentType.toLowerCase().includes('json'))
          problems.push(`request body content-type must be application/json, got "${contentType}"`);
        if (!compiled.body(request.body)) problems.push(...formatErrors('request body', compiled.body));
      }
    } else if (hasBody) {
      problems.push(`${key} takes no request body`);
    }
    return problems;
  }

  /** Problems with a response the fake produced for `key`. */
  validateResponse(key: GitHubOperationKey, response: FakeResponse): string[] {
    const compiled = this.#compiled(key);
    if (!compiled) return [];
    const status = String(response.status);
    // Conditional GETs may answer 304 on any endpoint; error statuses are checked only when documented.
    if (response.status === 304 && compiled.operation.method === 'GET') return [];
    if (response.status < 300 && !(status in compiled.operation.responses)) {
      return [`status ${status} is not a documented response of ${key}`];
    }
    const validate = compiled.responses.get(status);
    if (!validate || response.body === undefined) return [];
    return validate(response.body) ? [] : formatErrors(`response body (${status})`, validate);
  }
}

let shared: GitHubOpenApiValidator | null = null;

/** A process-wide validator (compiling the subset takes a moment; reuse it across fakes). */
export function githubOpenApiValidator(): GitHubOpenApiValidator {
  shared ??= new GitHubOpenApiValidator();
  return shared;
}
