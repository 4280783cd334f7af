import {
  BulkFetchIssueRequestSchema,
  BulkIssueResultsSchema,
  CommentSchema,
  CreatedIssueSchema,
  EntityPropertySchema,
  FieldDetailsSchema,
  IssueSchema,
  IssueUpdateDetailsSchema,
  LinkIssueRequestJsonSchema,
  PageOfCommentsSchema,
  PageProjectSchema,
  SearchAndReconcileRequestSchema,
  SearchAndReconcileResultsSchema,
  TransitionsSchema,
} from 'jira.js/cloud';
import type { FakeRequest, FakeResponse } from '../server/fake-server';

/** The part of a zod schema this validator uses (keeps zod itself out of our dependencies). */
interface ParseIssue {
  path: readonly PropertyKey[];
  message: string;
}
interface SafeParser {
  safeParse(value: unknown): { success: boolean; error?: { issues: readonly ParseIssue[] } };
}

/** `z.array(schema)` without importing zod: validates each element. */
function arrayOf(element: SafeParser): SafeParser {
  return {
    safeParse(value) {
      if (!Array.isArray(value)) {
        return { success: false, error: { issues: [{ path: [], message: 'expected array' }] } };
      }
      const issues = value.flatMap((item, index) =>
        (element.safeParse(item).error?.issues ?? []).map((issue) => ({
          ...issue,
          path: [index, ...issue.path],
        })),
      );
      return issues.length === 0 ? { success: true } : { success: false, error: { issues } };
    },
  };
}

interface OperationSchemas {
  request?: SafeParser;
  responses?: Record<number, SafeParser>;
}

/**
 * The `jira.js` zod models for each operation the fake serves, as the `jira.js` client itself
 * uses them (see its `src/cloud/api/*.ts`). Keyed by `METHOD /spec/path`.
 */
const OPERATIONS: Record<string, OperationSchemas> = {
  'GET /rest/api/3/search/jql': { responses: { 200: SearchAndReconcileResultsSchema } },
  'POST /rest/api/3/search/jql': {
    request: SearchAndReconcileRequestSchema,
    responses: { 200: SearchAndReconcileResultsSchema },
  },
  'POST /rest/api/3/issue': { request: IssueUpdateDetailsSchema, responses: { 201: CreatedIssueSchema } },
  'GET /rest/api/3/issue/{issueIdOrKey}': { responses: { 200: IssueSchema } },
  'POST /rest/api/3/issue/bulkfetch': {
    request: BulkFetchIssueRequestSchema,
    responses: { 200: BulkIssueResultsSchema },
  },
  'PUT /rest/api/3/issue/{issueIdOrKey}': { request: IssueUpdateDetailsSchema },
  'GET /rest/api/3/issue/{issueIdOrKey}/transitions': { responses: { 200: TransitionsSchema } },
  'POST /rest/api/3/issue/{issueIdOrKey}/transitions': { request: IssueUpdateDetailsSchema },
  // The comment `body` is ADF, which the fake checks itself (answering Jira's own 400, as with the
  // swagger, where ADF is typed `any`); the rest of the comment bean is checked here.
  'POST /rest/api/3/issue/{issueIdOrKey}/comment': {
    request: CommentSchema.omit({ body: true }),
    responses: { 201: CommentSchema },
  },
  'GET /rest/api/3/issue/{issueIdOrKey}/comment': { responses: { 200: PageOfCommentsSchema } },
  'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}': {},
  'GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}': {
    responses: { 200: EntityPropertySchema },
  },
  'POST /rest/api/3/issueLink': { request: LinkIssueRequestJsonSchema },
  'GET /rest/api/3/field': { responses: { 200: arrayOf(FieldDetailsSchema) } },
  'GET /rest/api/3/project/search': { responses: { 200: PageProjectSchema } },
};

/**
 * Fallback contract check for the Jira fake when Atlassian's OpenAPI document is not available:
 * validates JSON request bodies and 2xx response bodies with the zod models published by the
 * `jira.js` package (loose objects unless `AUDIT_SCHEMAS=true`). Same interface as
 * `JiraSpecValidator`, so the fake records violations the same way.
 */
export class JiraJsSchemaValidator {
  static #instance: JiraJsSchemaValidator | undefined;

  static load(): JiraJsSchemaValidator {
    JiraJsSchemaValidator.#instance ??= new JiraJsSchemaValidator();
    return JiraJsSchemaValidator.#instance;
  }

  hasOperation(method: string, specPath: string): boolean {
    return OPERATIONS[`${method} ${specPath}`] !== undefined;
  }

  validateRequest(method: string, specPath: string, request: FakeRequest): string[] {
    const operation = OPERATIONS[`${method} ${specPath}`];
    if (operation === undefined) return [`${method} ${specPath} is not covered by the jira.js schemas`];
    if (operation.request === undefined || request.rawBody.length === 0) return [];
    if (request.body === undefined) return ['request body is not valid JSON'];
    return check('body', operation.request, request.body);
  }

  validateResponse(method: string, specPath: string, response: FakeResponse): string[] {
    const schema = OPERATIONS[`${method} ${specPath}`]?.responses?.[response.status];
    if (schema === undefined || response.body === undefined) return [];
    return check('response', schema, response.body);
  }
}

function check(root: string, schema: SafeParser, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return (result.error?.issues ?? []).map(
    (issue) => `${root}${issue.path.map((part) => `/${String(part)}`).join('')} ${issue.message}`,
  );
}
