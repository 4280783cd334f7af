import { type FakeRequest, type FakeResponse, FakeServer } from '../server/fake-server';
import type { FakeWebhooks } from '../webhooks/fake-webhooks';
import { JiraJsSchemaValidator } from './jira-js-schemas';
import { errorBody } from './jira-render';
import { buildRoutes } from './jira-routes';
import { JiraSpecValidator } from './jira-spec';
import { type JiraFakeOptions, JiraFakeState, type JiraSpecSource } from './jira-state';

/** Request/response contract check the fake runs on every `/rest/api/3` call. */
export interface JiraContractValidator {
  validateRequest(method: string, specPath: string, request: FakeRequest): string[];
  validateResponse(method: string, specPath: string, response: FakeResponse): string[];
}

/** The one place that chooses between the official swagger and the `jira.js` fallback. */
export function selectJiraValidator(source: JiraSpecSource = specSourceFromEnv()): {
  source: 'swagger' | 'jira.js';
  validator: JiraContractValidator;
} {
  if (source === 'jira.js') return { source, validator: JiraJsSchemaValidator.load() };
  const swagger = JiraSpecValidator.load();
  if (swagger !== null) return { source: 'swagger', validator: swagger };
  if (source === 'swagger') {
    throw new Error('specSource "swagger" requested but shared/specs/jira/swagger-v3.v3.json is absent');
  }
  return { source: 'jira.js', validator: JiraJsSchemaValidator.load() };
}

function specSourceFromEnv(): JiraSpecSource {
  const value = process.env.JIRA_FAKE_SPEC_SOURCE;
  if (value === undefined || value === '') return 'auto';
  if (value === 'swagger' || value === 'jira.js' || value === 'auto') return value;
  throw new Error(`JIRA_FAKE_SPEC_SOURCE must be swagger, jira.js or auto, got ${JSON.stringify(value)}`);
}

/** A stateful Jira Cloud REST v3 fake on 127.0.0.1 (see README.md for fidelity and gaps). */
export class JiraFake extends FakeServer {
  readonly state: JiraFakeState;
  /** What requests and responses are validated against (null when validation is off). */
  readonly specSource: 'swagger' | 'jira.js' | null;

  constructor(options: JiraFakeOptions = {}) {
    const state = new JiraFakeState(options);
    const selected = options.validateWithSpec === false ? null : selectJiraValidator(options.specSource);
    const spec = selected?.validator ?? null;
    super({
      name: 'jira',
      routes: buildRoutes(state),
      rejectStatus: 400,
      notFoundBody: errorBody(['Not found']),
      validateRequest: (request) => {
        const specPath = specPathOf(request.endpoint);
        if (spec === null || specPath === null) return [];
        return spec.validateRequest(request.method, specPath, request);
      },
      validateResponse: (request, response) => {
        const specPath = specPathOf(request.endpoint);
        if (spec === null || specPath === null || response.status >= 400) return [];
        return spec.validateResponse(request.method, specPath, response);
      },
    });
    this.state = state;
    this.specSource = selected?.source ?? null;
    state.webhookBaseUrl = () => this.url;
  }

  /** Admin webhooks (`subscribe({ url, secret, scope: projectKey })`); see `state.webhooks`. */
  get webhooks(): FakeWebhooks {
    return this.state.webhooks;
  }

  /** True when the shared Atlassian spec was found (`auto` then validates against it). */
  static specAvailable(): boolean {
    return JiraSpecValidator.load() !== null;
  }

  /** `http://127.0.0.1:<port>/ex/jira/<cloudId>` — the OAuth / hosted style base URL. */
  cloudBaseUrl(cloudId = this.state.sites[0]?.id ?? 'cloud-1'): string {
    return `${this.url}/ex/jira/${cloudId}`;
  }
}

export async function startJiraFake(options: JiraFakeOptions = {}): Promise<JiraFake> {
  return new JiraFake(options).start();
}

function specPathOf(endpoint: string): string | null {
  const space = endpoint.indexOf(' ');
  const path = endpoint.slice(space + 1);
  return path.startsWith('/rest/api/3/') ? path : null;
}
