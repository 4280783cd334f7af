import {
  type DocumentNode,
  execute,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { type FakeRequest, type FakeResponse, FakeServer } from '../server/fake-server';
import type { FakeWebhooks } from '../webhooks/fake-webhooks';
import { estimateComplexity, LINEAR_MAX_COMPLEXITY } from './linear-complexity';
import { FakeGapError, LinearInputError } from './linear-filters';
import { createLinearRoot } from './linear-resolvers';
import {
  authenticationErrorBody,
  badUserInputBody,
  errorBody,
  rateLimitedBody,
  tooComplexBody,
  validationErrorBody,
} from './linear-responses';
import { loadLinearSchema } from './linear-schema';
import { LinearFakeState, type LinearFakeStateOptions } from './linear-state';

/** The route label every GraphQL call is counted under (`fake.server.callCount(LINEAR_ENDPOINT)`). */
export const LINEAR_ENDPOINT = 'POST /graphql';

export interface LinearFakeOptions extends LinearFakeStateOptions {
  /** Accepted `Authorization` values (raw API key or `Bearer <token>`); default: any non-empty value. */
  apiKeys?: readonly string[];
  /** Requests per hour reported in `X-RateLimit-Requests-Limit` (default 5000). */
  requestsPerHour?: number;
  /** Per-query complexity cap (default Linear's 10 000 points; see `estimateComplexity`). */
  maxComplexity?: number;
}

export interface OperationInfo {
  readonly operationName: string;
  readonly operationType: 'query' | 'mutation' | 'subscription';
  readonly variables: Readonly<Record<string, unknown>>;
  readonly query: string;
  /** Estimated complexity points (also sent as `X-Complexity`). */
  readonly complexity: number;
}

export interface RateLimitOptions {
  /** How many requests get the RATELIMITED answer (default 1). */
  times?: number;
  /** Milliseconds until the bucket refills, reported in `X-RateLimit-Requests-Reset` as epoch ms (default 30 000). */
  resetInMs?: number;
  /** Only for this operation name. */
  operationName?: string;
  /** Which limit ran out: request count (default) or complexity points. */
  kind?: 'requests' | 'complexity';
}

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** A request's document, validated, with what the checks and the executor need. */
interface ParsedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode | null;
  operationName: string | undefined;
  info: OperationInfo;
}

/**
 * A stateful fake of Linear's GraphQL API (`POST /graphql`) over Linear's real schema:
 * documents are parsed and validated exactly like the real endpoint (HTTP 400,
 * `GRAPHQL_VALIDATION_FAILED`), executed by resolvers over {@link LinearFakeState}, with Relay
 * pagination, rate-limit headers and injectable `RATELIMITED` answers.
 */
export class LinearFake {
  readonly server: FakeServer;
  readonly state: LinearFakeState;
  /** Calls per GraphQL operation name (anonymous operations count as `<anonymous>`). */
  readonly operationCounts = new Map<string, number>();
  /** Every executed operation, in order. */
  readonly operations: OperationInfo[] = [];
  /** Runs before each operation executes (after validation): use it to change data mid-scan. */
  beforeOperation: ((info: OperationInfo) => void | Promise<void>) | null = null;
  readonly #schema: GraphQLSchema;
  readonly #root: { query: Record<string, unknown>; mutation: Record<string, unknown> };
  readonly #options: LinearFakeOptions;
  #requestsUsed = 0;
  #windowResetAt = 0;
  #rateLimits: (Required<Omit<RateLimitOptions, 'operationName'>> & { operationName: string | null })[] = [];

  constructor(options: LinearFakeOptions = {}) {
    this.#options = options;
    this.#schema = loadLinearSchema();
    this.state = new LinearFakeState(options);
    this.#root = createLinearRoot(this.state) as {
      query: Record<string, unknown>;
      mutation: Record<string, unknown>;
    };
    this.server = new FakeServer({
      name: 'linear',
      routes: [
        {
          method: 'POST',
          pattern: '/graphql',
          name: LINEAR_ENDPOINT,
          handler: (request) => this.#handle(request),
        },
      ],
      notFoundBody: { errors: [{ message: 'Not Found' }] },
    });
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** Webhooks (`subscribe({ url, secret, scope: teamId })`); see `state.webhooks`. */
  get webhooks(): FakeWebhooks {
    return this.state.webhooks;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** `http://127.0.0.1:<port>/graphql`. */
  get graphqlUrl(): string {
    return `${this.server.url}/graphql`;
  }

  operationCount(name: string): number {
    return this.operationCounts.get(name) ?? 0;
  }

  resetCounts(): void {
    this.operationCounts.clear();
    this.operations.length = 0;
    this.server.resetCalls();
  }

  /** The next matching request(s) get Linear's rate-limit answer: HTTP 400, `extensions.code: RATELIMITED`. */
  rateLimit(options: RateLimitOptions = {}): void {
    this.#rateLimits.push({
      times: options.times ?? 1,
      resetInMs: options.resetInMs ?? 30_000,
      kind: options.kind ?? 'requests',
      operationName: options.operationName ?? null,
    });
  }

  #rateHeaders(now: number, exhausted = false, resetAt?: number): Record<string, string> {
    const limit = this.#options.requestsPerHour ?? 5000;
    if (now >= this.#windowResetAt) {
      this.#windowResetAt = now + 3_600_000;
      this.#requestsUsed = 0;
    }
    this.#requestsUsed += 1;
    return {
      'x-ratelimit-requests-limit': String(limit),
      'x-ratelimit-requests-remaining': String(exhausted ? 0 : Math.max(0, limit - this.#requestsUsed)),
      'x-ratelimit-requests-reset': String(resetAt ?? this.#windowResetAt),
      'x-ratelimit-complexity-limit': '3000000',
      'x-ratelimit-complexity-remaining': '2999000',
      'x-ratelimit-complexity-reset': String(resetAt ?? this.#windowResetAt),
    };
  }

  #authorised(request: FakeRequest): boolean {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') return false;
    const keys = this.#options.apiKeys;
    if (!keys) return true;
    return keys.includes(header) || keys.some((key) => header === `Bearer ${key}`);
  }

  /** A request, checked in Linear's order: credentials, document, rate limit, complexity; then run. */
  async #handle(request: FakeRequest): Promise<FakeResponse> {
    const now = Date.now();
    if (!this.#authorised(request)) {
      return { status: 400, headers: this.#rateHeaders(now), body: authenticationErrorBody() };
    }
    const parsed = this.#parse(request, now);
    if ('status' in parsed) return parsed;
    this.operationCounts.set(parsed.info.operationName, this.operationCount(parsed.info.operationName) + 1);
    this.operations.push(parsed.info);
    const refused = this.#rateLimited(parsed.info.operationName, now) ?? this.#tooComplex(parsed.info, now);
    if (refused) return refused;
    return this.#execute(parsed, now);
  }

  /** The document parsed and validated against the schema, or the 400 answer. */
  #parse(request: FakeRequest, now: number): ParsedOperation | FakeResponse {
    const body = (request.body ?? {}) as GraphQLBody;
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      this.server.violations.push('request without a GraphQL "query" string');
      return {
        status: 400,
        headers: this.#rateHeaders(now),
        body: errorBody([{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }]),
      };
    }
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      const message = (error as GraphQLError).message;
      this.server.violations.push(`GraphQL syntax error: ${message}`);
      return {
        status: 400,
        headers: this.#rateHeaders(now),
        body: errorBody([{ message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]),
      };
    }
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const operation = getOperationAST(document, operationName) as OperationDefinitionNode | null;
    const name = operation?.name?.value ?? operationName ?? '<anonymous>';
    const validationErrors = validate(this.#schema, document);
    if (validationErrors.length > 0) {
      for (const error of validationErrors) this.server.violations.push(`${name}: ${error.message}`);
      return { status: 400, headers: this.#rateHeaders(now), body: validationErrorBody(validationErrors) };
    }
    const variables =
      body.variables !== null && typeof body.variables === 'object'
        ? (body.variables as Record<string, unknown>)
        : {};
    const complexity = operation ? estimateComplexity(this.#schema, document, operation, variables) : 0;
    const info: OperationInfo = {
      operationName: name,
      operationType: operation?.operation ?? 'query',
      variables,
      query: body.query,
      complexity,
    };
    return { document, operation, operationName, info };
  }

  /** The injected `RATELIMITED` answer when a rule matches this operation. */
  #rateLimited(name: string, now: number): FakeResponse | null {
    const limited = this.#rateLimits.find(
      (rule) => rule.times > 0 && (rule.operationName === null || rule.operationName === name),
    );
    if (!limited) return null;
    limited.times -= 1;
    const headers = this.#rateHeaders(now, true, now + limited.resetInMs);
    if (limited.kind === 'complexity') headers['x-ratelimit-complexity-remaining'] = '0';
    return { status: 400, headers, body: rateLimitedBody(limited.kind) };
  }

  #tooComplex(info: OperationInfo, now: number): FakeResponse | null {
    const maxComplexity = this.#options.maxComplexity ?? LINEAR_MAX_COMPLEXITY;
    if (info.complexity <= maxComplexity) return null;
    this.server.violations.push(
      `${info.operationName}: query complexity ${info.complexity} exceeds ${maxComplexity}`,
    );
    return {
      status: 400,
      headers: { ...this.#rateHeaders(now), 'x-complexity': String(info.complexity) },
      body: tooComplexBody(info.complexity, maxComplexity),
    };
  }

  async #execute(
    { document, operation, operationName, info }: ParsedOperation,
    now: number,
  ): Promise<FakeResponse> {
    if (this.beforeOperation) await this.beforeOperation(info);
    const rootValue = operation?.operation === 'mutation' ? this.#root.mutation : this.#root.query;
    const result = await execute({
      schema: this.#schema,
      document,
      rootValue,
      variableValues: info.variables,
      ...(operationName === undefined ? {} : { operationName }),
    });
    const headers = { ...this.#rateHeaders(now), 'x-complexity': String(info.complexity) };
    if (result.errors && result.data === undefined) {
      for (const error of result.errors)
        this.server.violations.push(`${info.operationName}: ${error.message}`);
      return { status: 400, headers, body: badUserInputBody(result.errors) };
    }
    const errors = result.errors?.map((error) => this.#formatError(info.operationName, error));
    return {
      status: 200,
      headers,
      body: errors ? { errors, data: result.data ?? null } : { data: result.data },
    };
  }

  #formatError(operationName: string, error: GraphQLError): object {
    const original = error.originalError;
    if (original instanceof LinearInputError) {
      return {
        message: original.message,
        path: error.path,
        locations: error.locations,
        extensions: {
          type: 'invalid input',
          code: original.code,
          statusCode: 400,
          userError: true,
          userPresentableMessage: original.userPresentableMessage,
        },
      };
    }
    const gap = original instanceof FakeGapError;
    this.server.violations.push(`${operationName}: ${gap ? '' : 'fake resolver error: '}${error.message}`);
    return {
      message: error.message,
      path: error.path,
      locations: error.locations,
      extensions: {
        code: gap ? 'FAKE_GAP' : 'INTERNAL_SERVER_ERROR',
        type: 'internal error',
        userError: false,
      },
    };
  }
}
