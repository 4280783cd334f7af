// Test-only: the reference in-memory tracker, except that every read and write first makes one
// real HTTP request through `createHttpClient` to a loopback server, passing the caller's signal
// on as every HTTP connector does. The server decides the fate of each call (answer, 5xx, 429,
// hang), so engine tests exercise the real client, retry ownership and deadlines end to end.
import type { ExternalRef } from '../../model/external-ref';
import type { CanonicalIssue } from '../../model/issue';
import type { Page } from '../../model/page';
import type { IssuePatch, ListIssuesQuery, WriteOptions } from '../../protocol/connector';
import type { HttpClient, HttpMethod } from '../../protocol/http-client';
import { FakeTracker, type FakeTrackerOptions } from '../../sync/test-support/fake-tracker';

export class HttpGatedTracker extends FakeTracker {
  readonly #http: HttpClient;

  constructor(http: HttpClient, options: FakeTrackerOptions = {}) {
    super(options);
    this.#http = http;
  }

  async #gate(method: HttpMethod, path: string, signal: AbortSignal | undefined): Promise<void> {
    await this.#http.request({ method, path, ...(signal ? { signal } : {}) });
  }

  override async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    await this.#gate('GET', `/issues?cursor=${query.cursor ?? ''}`, query.signal);
    return super.listIssues(query);
  }

  override async getIssue(ref: ExternalRef, options?: { signal?: AbortSignal }): Promise<CanonicalIssue> {
    await this.#gate('GET', `/issues/${ref.id}`, options?.signal);
    return super.getIssue(ref);
  }

  override async createIssue(issue: CanonicalIssue, options?: WriteOptions): Promise<CanonicalIssue> {
    await this.#gate('POST', '/issues', options?.signal);
    return super.createIssue(issue, options);
  }

  override async updateIssue(
    ref: ExternalRef,
    patch: IssuePatch,
    options?: WriteOptions,
  ): Promise<CanonicalIssue> {
    await this.#gate('PUT', `/issues/${ref.id}`, options?.signal);
    return super.updateIssue(ref, patch, options);
  }
}
