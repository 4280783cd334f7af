import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FakeRequest, FakeResponse } from '../server/fake-server';
import { sharedSpecPath } from '../server/shared-specs';

// ajv-formats ships CJS; under ESM interop the callable may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string; items?: { type?: string }; enum?: unknown[] };
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, unknown>;
}

/** Spec path template (e.g. `/rest/api/3/issue/{issueIdOrKey}`) for a fake route name. */
export type SpecOperationKey = `${'GET' | 'POST' | 'PUT' | 'DELETE'} ${string}`;

/**
 * Validates requests and responses of the Jira fake against Atlassian's official OpenAPI document
 * (`shared/specs/jira/swagger-v3.v3.json`), compiled lazily per operation with ajv. Query parameters
 * are checked for declared types; JSON bodies against the operation's schema.
 */
export class JiraSpecValidator {
  readonly #doc: OpenApiDocument;
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction | null>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.#ajv);
    this.#ajv.addFormat('int32', true).addFormat('int64', true).addFormat('double', true);
    this.#ajv.addSchema({ $id: 'jira-spec', components: doc.components });
  }

  /** Loads the shared spec when present, else returns null (validation is then skipped). */
  static load(): JiraSpecValidator | null {
    if (cached === undefined) {
      const path = sharedSpecPath('jira/swagger-v3.v3.json');
      // Parsed and compiled once per process: the document is 2.4 MB.
      cached =
        path === null
          ? null
          : new JiraSpecValidator(JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument);
    }
    return cached;
  }

  hasOperation(method: string, specPath: string): boolean {
    return this.#operation(method, specPath) !== undefined;
  }

  validateRequest(method: string, specPath: string, request: FakeRequest): string[] {
    const operation = this.#operation(method, specPath);
    if (operation === undefined) return [`${method} ${specPath} is not an operation of the Jira spec`];
    const problems: string[] = [];
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in !== 'query') continue;
      const values = request.query.getAll(parameter.name);
      if (values.length === 0) {
        if (parameter.required) problems.push(`query parameter ${parameter.name} is required`);
        continue;
      }
      const type = parameter.schema?.type === 'array' ? parameter.schema.items?.type : parameter.schema?.type;
      for (const value of values) {
        if (type === 'integer' && !/^-?\d+$/.test(value)) {
          problems.push(`query parameter ${parameter.name} must be integer, got ${JSON.stringify(value)}`);
        }
        if (type === 'boolean' && value !== 'true' && value !== 'false') {
          problems.push(`query parameter ${parameter.name} must be boolean, got ${JSON.stringify(value)}`);
        }
      }
    }
    const content = operation.requestBody?.content;
    if (content !== undefined && request.rawBody.length > 0) {
      const schema = content['application/json']?.schema;
      if (request.body === undefined) problems.push('request body is not valid JSON');
      else if (schema !== undefined) {
        const validate = this.#compile(`${method} ${specPath} request`, schema);
        if (validate && !validate(request.body)) problems.push(...formatErrors('body', validate.errors));
      }
    }
    return problems;
  }

  validateResponse(method: string, specPath: string, response: FakeResponse): string[] {
    const operation = this.#operation(method, specPath);
    if (operation === undefined) return [];
    const declared = operation.responses?.[String(response.status)];
    if (declared === undefined) {
      return [`status ${response.status} is not a documented response of ${method} ${specPath}`];
    }
    const schema = declared.content?.['application/json']?.schema;
    if (schema === undefined || response.body === undefined) return [];
    const validate = this.#compile(`${method} ${specPath} ${response.status}`, schema);
    if (validate && !validate(response.body)) return formatErrors('response', validate.errors);
    return [];
  }

  #operation(method: string, specPath: string): OpenApiOperation | undefined {
    return this.#doc.paths[specPath]?.[method.toLowerCase()];
  }

  #compile(cacheKey: string, schema: unknown): ValidateFunction | null {
    if (this.#cache.has(cacheKey)) return this.#cache.get(cacheKey) ?? null;
    const rewritten = JSON.parse(
      JSON.stringify(schema).replaceAll('"#/components/', '"jira-spec#/components/'),
    );
    const validate = this.#ajv.compile(rewritten as object);
    this.#cache.set(cacheKey, validate);
    return validate;
  }
}

let cached: JiraSpecValidator | null | undefined;

function formatErrors(root: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${root}${error.instancePath || ''} ${error.message ?? 'is invalid'}`);
}
