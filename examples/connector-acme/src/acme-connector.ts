import {
  type CanonicalIssue,
  type CanonicalLink,
  type CanonicalStatus,
  CapabilityNotSupportedError,
  type ConnectorRuntime,
  capabilities,
  type EventsPage,
  type ExternalRef,
  IssueNotFoundError,
  type IssuePatch,
  type ListIssuesQuery,
  type Page,
  parseConnectorConfig,
  rejectUnknownPatchKeys,
  type TrackerCapabilities,
  type TrackerConnector,
  type WriteOptions,
} from '@spec-kitty/core';
import {
  createHttpClient,
  createOpaqueCursorCodec,
  type HttpClient,
  isHttpStatus,
} from '@spec-kitty/core/http';
import { type AcmeIssue, acmeIssuePageSchema, acmeIssueSchema } from './acme-api.js';
import { type AcmeConnectorConfigInput, acmeConfigSchema } from './acme-config.js';
import { acmeState, fromAcmeIssue, projectAcmeIssue, toAcmeFields } from './acme-mapping.js';
import { PACKAGE_NAME, VERSION } from './version.js';

/** Runtime hooks: `fetch` (hosted mode passes the Nango proxy fetch), `logger`. */
export interface AcmeConnectorOptions extends ConnectorRuntime {}

// The API's page token, wrapped so a cursor from another connector is refused by name.
const cursors = createOpaqueCursorCodec<{ pageToken: string }>({
  trackerName: 'Acme',
  provider: 'acme',
  prefix: 'acme1.',
  parse: (data) => {
    const token = (data as { pageToken?: unknown } | null)?.pageToken;
    return typeof token === 'string' && token !== '' ? { pageToken: token } : undefined;
  },
});

/** A `TrackerConnector` for one Acme Tracker project. */
export class AcmeConnector implements TrackerConnector {
  readonly name = 'acme';
  readonly #project: string;
  readonly #http: HttpClient;

  constructor(config: AcmeConnectorConfigInput, options: AcmeConnectorOptions = {}) {
    const valid = parseConnectorConfig('acme', acmeConfigSchema, config);
    this.#project = valid.project;
    this.#http = createHttpClient({
      provider: 'acme',
      baseUrl: `${valid.baseUrl.replace(/\/+$/, '')}/api/v1/projects/${encodeURIComponent(valid.project)}`,
      headers: { authorization: `Bearer ${valid.token}`, accept: 'application/json' },
      secrets: [valid.token],
      userAgent: `${PACKAGE_NAME}@${VERSION}`,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  async getCapabilities(): Promise<TrackerCapabilities> {
    return capabilities({
      supportsAssignment: true,
      supportsMultiAssignee: true,
      supportsTerminalTransition: true,
      supportsComments: true,
      supportsHierarchy: false,
      supportsDependencies: false,
      supportsCustomFields: false,
      maxPageSize: 100,
    });
  }

  async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const { data } = await this.#http.request({
      method: 'GET',
      path: 'issues',
      query: {
        per_page: Math.min(query.limit, 100),
        updated_since: query.updatedSince?.toISOString(),
        page_token: query.cursor === null ? undefined : cursors.decode(query.cursor).pageToken,
      },
      schema: acmeIssuePageSchema,
      ...(query.signal ? { signal: query.signal } : {}),
    });
    return {
      items: data.issues.map((issue) => fromAcmeIssue(issue, this.#project)),
      nextCursor: data.next_page_token === null ? null : cursors.encode({ pageToken: data.next_page_token }),
    };
  }

  async getIssue(ref: ExternalRef, options: { signal?: AbortSignal } = {}): Promise<CanonicalIssue> {
    return fromAcmeIssue(await this.#fetchIssue(ref, options.signal), this.#project);
  }

  async createIssue(issue: CanonicalIssue, options: WriteOptions = {}): Promise<CanonicalIssue> {
    // Acme answers a repeated client_key with the issue it already made: creates are safe to retry.
    const { data } = await this.#http.request({
      method: 'POST',
      path: 'issues',
      json: {
        ...toAcmeFields(issue),
        client_key: options.idempotencyKey ?? null,
      },
      schema: acmeIssueSchema,
      idempotent: options.idempotencyKey !== undefined,
    });
    return fromAcmeIssue(data, this.#project);
  }

  async findCreatedIssue(_issue: CanonicalIssue, options: WriteOptions): Promise<CanonicalIssue | null> {
    if (options.idempotencyKey === undefined) return null;
    const { data } = await this.#http.request({
      method: 'GET',
      path: 'issues',
      query: { client_key: options.idempotencyKey, per_page: 1 },
      schema: acmeIssuePageSchema,
    });
    const found = data.issues[0];
    return found === undefined ? null : fromAcmeIssue(found, this.#project);
  }

  async updateIssue(ref: ExternalRef, patch: IssuePatch): Promise<CanonicalIssue> {
    rejectUnknownPatchKeys(patch, 'acme');
    return fromAcmeIssue(await this.#patch(ref, toAcmeFields(patch)), this.#project);
  }

  async transitionIssue(ref: ExternalRef, target: CanonicalStatus): Promise<CanonicalIssue> {
    return fromAcmeIssue(await this.#patch(ref, { state: acmeState(target) }), this.#project);
  }

  async upsertLink(_ref: ExternalRef, _link: CanonicalLink): Promise<void> {
    throw new CapabilityNotSupportedError(
      'Acme has no issue links; it supports labels, assignees and comments.',
      {
        capability: 'supportsDependencies',
      },
    );
  }

  async addComment(ref: ExternalRef, body: string): Promise<void> {
    await this.#http.request({
      method: 'POST',
      path: `issues/${this.#number(ref)}/comments`,
      json: { body },
    });
  }

  async listEvents(): Promise<EventsPage> {
    return { events: [], checkpoint: null };
  }

  projectIssue(issue: CanonicalIssue): CanonicalIssue {
    return projectAcmeIssue(issue);
  }

  async #fetchIssue(ref: ExternalRef, signal?: AbortSignal): Promise<AcmeIssue> {
    try {
      const { data } = await this.#http.request({
        method: 'GET',
        path: `issues/${this.#number(ref)}`,
        schema: acmeIssueSchema,
        ...(signal ? { signal } : {}),
      });
      return data;
    } catch (error) {
      if (isHttpStatus(error, 404))
        throw new IssueNotFoundError(`Acme issue ${ref.id} not found in ${this.#project}`);
      throw error;
    }
  }

  async #patch(ref: ExternalRef, fields: object): Promise<AcmeIssue> {
    await this.#fetchIssue(ref); // a missing issue is IssueNotFoundError, not a bare 404
    const { data } = await this.#http.request({
      method: 'PATCH',
      path: `issues/${this.#number(ref)}`,
      json: fields,
      schema: acmeIssueSchema,
    });
    return data;
  }

  #number(ref: ExternalRef): string {
    if (!/^\d+$/.test(ref.id))
      throw new IssueNotFoundError(`Acme issue ids are numbers; got ${JSON.stringify(ref.id)}`);
    return ref.id;
  }
}
