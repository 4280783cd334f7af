import { createHash } from 'node:crypto';
import { type FakeRequest, type FakeResponse, FakeServer, type RouteDefinition } from '../server/fake-server';
import { FakeWebhooks } from '../webhooks/fake-webhooks';
import {
  githubCommentDelivery,
  githubIssuesDelivery,
  githubIssueUpdateDeliveries,
  githubSubIssueDeliveries,
  githubTransferDelivery,
  githubWebhookFormat,
} from '../webhooks/github-webhook-deliveries';
import {
  authenticatedUserJson,
  commentJson,
  eventJson,
  issueJson,
  labelJson,
  orgJson,
  repoJson,
} from './github-json';
import { type GitHubOpenApiValidator, githubOpenApiValidator } from './github-openapi';
import {
  FakeClock,
  type FakeIssueRecord,
  type FakeRepoRecord,
  GitHubFakeState,
  githubTimestamp,
  repoKey,
} from './github-state';

export interface GitHubFakeRepoInit {
  owner: string;
  name: string;
  private?: boolean;
  visibility?: 'public' | 'private' | 'internal';
  defaultBranch?: string;
  collaborators?: string[];
}

export interface GitHubFakeOptions {
  /** Login of the authenticated user (default `octocat`). */
  login?: string;
  /** Display name of the authenticated user (default null). */
  userName?: string | null;
  /** The repository most tests use (created with the viewer as owner unless `orgs` contains the owner). */
  owner?: string;
  repo?: string;
  /** When set, every request must carry `Authorization: Bearer <token>` (or `token <token>`), else 401. */
  token?: string;
  /** Organisations the viewer belongs to. */
  orgs?: { login: string; description?: string | null }[];
  /** More repositories (discovery). */
  repos?: GitHubFakeRepoInit[];
  /** Extra assignable users of every repository (the owner/viewer always is). */
  collaborators?: string[];
  /** Start of the fake clock (default 2026-01-01T00:00:00Z). */
  start?: Date;
  /** Each write advances the clock by this much (default 1000 ms; 0 = same-second writes). */
  tickMs?: number;
  /** Validate requests and responses against the OpenAPI subset (default true). */
  validate?: boolean;
  /**
   * `repository-id` writes `Link` URLs of repository endpoints as `/repositories/{id}/…`, as
   * GitHub often does; the fake does not serve those paths, so a client that follows link paths
   * instead of their query fails. Default `path` (the request's own path).
   */
  linkStyle?: 'path' | 'repository-id';
}

export interface SeedIssueInit {
  title: string;
  body?: string | null;
  state?: 'open' | 'closed';
  stateReason?: FakeIssueRecord['stateReason'];
  labels?: string[];
  assignees?: string[];
  author?: string;
  /** Seed a pull request (it shares the issue numbering and appears in the issues list). */
  pullRequest?: boolean;
  owner?: string;
  repo?: string;
}

const DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT = 5000;
/** Versions GitHub's REST API accepts in `X-GitHub-Api-Version` (others are a 400). */
const SUPPORTED_API_VERSIONS = ['2022-11-28', '2026-03-10'];

function notFound(): FakeResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

function validationFailed(field: string, code: string, value?: unknown, message?: string): FakeResponse {
  const error: Record<string, unknown> = { resource: 'Issue', field, code };
  if (value !== undefined) error.value = value;
  if (message !== undefined) error.message = message;
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [error], documentation_url: DOCS, status: '422' },
  };
}

function etagOf(body: unknown): string {
  return `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
}

function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const strip = (value: string) => value.trim().replace(/^W\//, '');
  const values = (Array.isArray(header) ? header.join(',') : header).split(',');
  return values.some((value) => value.trim() === '*' || strip(value) === strip(etag));
}

function intParam(request: FakeRequest, name: string, fallback: number): number {
  const raw = request.query.get(name);
  if (raw === null || !/^-?\d+$/.test(raw)) return fallback;
  return Number(raw);
}

/**
 * A stateful fake of the GitHub REST API (issues, comments, labels, sub-issues, issue events,
 * discovery endpoints) on 127.0.0.1. Every request and response is checked against GitHub's
 * official OpenAPI document; a mismatch is recorded in `server.violations`.
 */
export class GitHubFake {
  readonly state: GitHubFakeState;
  readonly server: FakeServer;
  /** Repository webhooks: subscribe a receiver and every issue change is delivered to it, signed. */
  readonly webhooks = new FakeWebhooks(githubWebhookFormat);
  readonly owner: string;
  readonly repo: string;
  readonly #token: string | undefined;
  readonly #linkStyle: 'path' | 'repository-id';
  readonly #validator: GitHubOpenApiValidator | null;
  #remaining = RATE_LIMIT;
  /** Number of 304 answers sent (conditional requests that cost no rate limit). */
  notModifiedCount = 0;
  /** Endpoint labels of every route (each is an operation key of the OpenAPI subset). */
  readonly endpoints: readonly string[];

  constructor(options: GitHubFakeOptions = {}) {
    const login = options.login ?? 'octocat';
    this.state = new GitHubFakeState(
      login,
      new FakeClock(options.start ?? new Date('2026-01-01T00:00:00Z'), options.tickMs ?? 1000),
    );
    const viewer = this.state.user(login);
    viewer.name = options.userName ?? null;
    this.owner = options.owner ?? login;
    this.repo = options.repo ?? 'hello-world';
    this.#token = options.token;
    this.#linkStyle = options.linkStyle ?? 'path';
    for (const org of options.orgs ?? []) {
      this.state.orgs.set(org.login.toLowerCase(), {
        login: org.login,
        id: this.state.nextId(),
        description: org.description ?? null,
      });
      this.state.memberships.add(org.login.toLowerCase());
    }
    const collaborators = options.collaborators ?? ['hubot', 'monalisa'];
    this.addRepo({ owner: this.owner, name: this.repo, collaborators });
    for (const repo of options.repos ?? []) this.addRepo({ collaborators, ...repo });
    this.#validator = options.validate === false ? null : githubOpenApiValidator();
    const validator = this.#validator;
    const routes = this.#routes();
    this.endpoints = routes.map((route) => route.name ?? `${route.method} ${route.pattern}`);
    this.server = new FakeServer({
      name: 'GitHub',
      routes,
      rejectStatus: 422,
      notFoundBody: { message: 'Not Found', documentation_url: DOCS, status: '404' },
      ...(validator
        ? {
            validateRequest: (request: FakeRequest) => validator.validateRequest(request.endpoint, request),
            validateResponse: (request: FakeRequest, response: FakeResponse) =>
              validator.validateResponse(request.endpoint, response),
          }
        : {}),
    });
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Throws when any request or response broke GitHub's OpenAPI document. */
  assertNoViolations(): void {
    this.server.assertNoViolations();
  }

  addRepo(init: GitHubFakeRepoInit): FakeRepoRecord {
    const isOrg = this.state.orgs.has(init.owner.toLowerCase());
    if (!isOrg) this.state.user(init.owner);
    const repo: FakeRepoRecord = {
      id: this.state.nextId(),
      owner: init.owner,
      ownerType: isOrg ? 'Organization' : 'User',
      name: init.name,
      private: init.private ?? init.visibility === 'private',
      visibility: init.visibility ?? (init.private ? 'private' : 'public'),
      defaultBranch: init.defaultBranch ?? 'main',
      createdAt: githubTimestamp(this.state.clock.now()),
      collaborators: new Set(
        [this.state.viewer, init.owner, ...(init.collaborators ?? [])].map((login) => login.toLowerCase()),
      ),
      labels: new Map(),
      issues: new Map(),
      gone: new Map(),
      nextNumber: 1,
    };
    this.state.repos.set(repoKey(init.owner, init.name), repo);
    return repo;
  }

  #repoOf(owner = this.owner, name = this.repo): FakeRepoRecord {
    const repo = this.state.repo(owner, name);
    if (!repo) throw new Error(`GitHub fake has no repository ${owner}/${name}`);
    return repo;
  }

  /** Puts an issue (or PR) straight into the fake, as if someone else had created it. */
  seedIssue(init: SeedIssueInit): FakeIssueRecord {
    const repo = this.#repoOf(init.owner, init.repo);
    const at = githubTimestamp(this.state.clock.tick());
    for (const label of init.labels ?? []) this.#ensureLabel(repo, label);
    const closed = init.state === 'closed';
    const issue: FakeIssueRecord = {
      id: this.state.nextId(),
      number: repo.nextNumber++,
      title: init.title,
      body: init.body ?? null,
      state: init.state ?? 'open',
      stateReason: init.stateReason ?? (closed ? 'completed' : null),
      labels: [...(init.labels ?? [])],
      assignees: [...(init.assignees ?? [])],
      author: init.author ?? this.state.viewer,
      createdAt: at,
      updatedAt: at,
      closedAt: closed ? at : null,
      closedBy: closed ? this.state.viewer : null,
      comments: [],
      pullRequest: init.pullRequest ?? false,
      locked: false,
      parent: null,
      children: [],
      blockedBy: [],
      blocking: [],
    };
    repo.issues.set(issue.number, issue);
    githubIssuesDelivery(this.webhooks, this.state, repo, issue, 'opened');
    return issue;
  }

  /** The stored record of issue `number` (live object; mutate through `editIssue`). */
  issue(number: number, owner?: string, repo?: string): FakeIssueRecord | undefined {
    return this.#repoOf(owner, repo).issues.get(number);
  }

  /** Every stored issue and PR of the main repository, by number. */
  issues(owner?: string, repo?: string): FakeIssueRecord[] {
    return [...this.#repoOf(owner, repo).issues.values()].sort((a, b) => a.number - b.number);
  }

  /** Simulates an edit by someone else: applies `change`, bumps `updated_at` (advancing the clock). */
  editIssue(
    number: number,
    change: (issue: FakeIssueRecord) => void,
    owner?: string,
    repo?: string,
  ): FakeIssueRecord {
    const issue = this.issue(number, owner, repo);
    if (!issue) throw new Error(`GitHub fake has no issue #${number}`);
    change(issue);
    issue.updatedAt = githubTimestamp(this.state.clock.tick());
    githubIssuesDelivery(this.webhooks, this.state, this.#repoOf(owner, repo), issue, 'edited');
    return issue;
  }

  /** Simulates someone making `child` a sub-issue of `parent` (main repository): both are touched. */
  relateSubIssue(parent: number, child: number): void {
    const at = githubTimestamp(this.state.clock.tick());
    const parentIssue = this.issue(parent);
    const childIssue = this.issue(child);
    if (!parentIssue || !childIssue) throw new Error(`GitHub fake has no issue #${parent} or #${child}`);
    childIssue.parent = parent;
    parentIssue.children.push(child);
    parentIssue.updatedAt = at;
    childIssue.updatedAt = at;
    githubSubIssueDeliveries(this.webhooks, this.state, this.#repoOf(), parentIssue, childIssue, 'added');
  }

  /** Simulates someone recording that `blocked` is blocked by `blocker` (main repository): both are touched. */
  relateBlockedBy(blocked: number, blocker: number): void {
    const at = githubTimestamp(this.state.clock.tick());
    const blockedIssue = this.issue(blocked);
    const blockerIssue = this.issue(blocker);
    if (!blockedIssue || !blockerIssue)
      throw new Error(`GitHub fake has no issue #${blocked} or #${blocker}`);
    blockedIssue.blockedBy.push(blocker);
    blockerIssue.blocking.push(blocked);
    blockedIssue.updatedAt = at;
    blockerIssue.updatedAt = at;
  }

  /** Simulates someone deleting issue `number`: it leaves listings, and its endpoints answer 410. */
  deleteIssue(number: number, owner?: string, repo?: string): void {
    const record = this.#repoOf(owner, repo);
    const doomed = record.issues.get(number);
    if (!record.issues.delete(number)) throw new Error(`GitHub fake has no issue #${number}`);
    record.gone.set(number, { kind: 'deleted' });
    if (doomed) githubIssuesDelivery(this.webhooks, this.state, record, doomed, 'deleted');
  }

  /**
   * Simulates someone transferring issue `number` to repository `to`: it gets the next number
   * there, leaves the source's listings, and its old endpoints answer 301 to the new one.
   */
  transferIssue(
    number: number,
    to: { owner: string; repo: string },
    from?: { owner: string; repo: string },
  ): FakeIssueRecord {
    const source = this.#repoOf(from?.owner, from?.repo);
    const target = this.#repoOf(to.owner, to.repo);
    const issue = source.issues.get(number);
    if (!issue) throw new Error(`GitHub fake has no issue #${number}`);
    source.issues.delete(number);
    issue.number = target.nextNumber++;
    issue.updatedAt = githubTimestamp(this.state.clock.tick());
    for (const label of issue.labels) this.#ensureLabel(target, label);
    target.issues.set(issue.number, issue);
    source.gone.set(number, {
      kind: 'transferred',
      owner: target.owner,
      repo: target.name,
      number: issue.number,
    });
    githubTransferDelivery(this.webhooks, this.state, source, target, issue, number);
    return issue;
  }

  /** GitHub's answer for an issue that left `repo`: 410 when deleted, a redirect when transferred. */
  #goneResponse(request: FakeRequest, repo: FakeRepoRecord, number: number): FakeResponse | null {
    const gone = repo.gone.get(number);
    if (!gone) return null;
    if (gone.kind === 'deleted') {
      return {
        status: 410,
        body: { message: 'This issue was deleted', documentation_url: DOCS, status: '410' },
      };
    }
    const host = String(request.headers.host ?? '127.0.0.1');
    const rest = request.path.replace(/^\/repos\/[^/]+\/[^/]+\/issues\/\d+/, '');
    const location = `http://${host}/repos/${encodeURIComponent(gone.owner)}/${encodeURIComponent(gone.repo)}/issues/${gone.number}${rest}`;
    // GitHub redirects a transferred issue: 301 for reads, 307 for writes (which keep their method).
    const status = request.method === 'GET' ? 301 : 307;
    return {
      status,
      headers: { location },
      body: { message: 'Moved Permanently', url: location, documentation_url: DOCS, status: String(status) },
    };
  }

  #ensureLabel(repo: FakeRepoRecord, name: string): void {
    const key = name.toLowerCase();
    if (!repo.labels.has(key)) {
      repo.labels.set(key, { id: this.state.nextId(), name, color: 'ededed', description: null });
    }
  }

  // ---------------------------------------------------------------- HTTP plumbing

  #rateHeaders(): Record<string, string> {
    const reset = Math.floor(this.state.clock.now().getTime() / 1000) + 3600;
    return {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(this.#remaining),
      'x-ratelimit-used': String(RATE_LIMIT - this.#remaining),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
    };
  }

  /** Wraps a handler: auth, rate-limit headers, ETag/If-None-Match for GET. */
  #wrap(handler: (request: FakeRequest) => FakeResponse): (request: FakeRequest) => FakeResponse {
    return (request) => {
      if (this.#token !== undefined) {
        const auth = String(request.headers.authorization ?? '');
        if (auth !== `Bearer ${this.#token}` && auth !== `token ${this.#token}`) {
          return {
            status: 401,
            body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' },
          };
        }
      }
      const version = request.headers['x-github-api-version'];
      if (version !== undefined && !SUPPORTED_API_VERSIONS.includes(String(version))) {
        this.server.violations.push(
          `${request.method} ${request.path}: unsupported X-GitHub-Api-Version "${String(version)}"`,
        );
        return {
          status: 400,
          body: {
            message: `API version ${String(version)} is not supported.`,
            documentation_url: DOCS,
            status: '400',
          },
        };
      }
      const response = handler(request);
      const headers: Record<string, string> = { ...(response.headers ?? {}) };
      if (request.method === 'GET' && response.status === 200) {
        const etag = etagOf(response.body);
        headers.etag = etag;
        headers['cache-control'] = 'private, max-age=60, s-maxage=60';
        headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP';
        if (etagMatches(request.headers['if-none-match'], etag)) {
          // Authorized conditional requests answered 304 do not count against the rate limit.
          this.notModifiedCount += 1;
          return { status: 304, headers: { ...headers, ...this.#rateHeaders() } };
        }
      }
      this.#remaining = Math.max(0, this.#remaining - 1);
      return { ...response, headers: { ...headers, ...this.#rateHeaders() } };
    };
  }

  /**
   * Pages `items` GitHub-style: `per_page` (default 30, max 100), `page`, and a `Link` header.
   * `render` turns an item into its JSON; only the requested page's items are rendered.
   */
  #paginate<T>(
    request: FakeRequest,
    items: readonly T[],
    render: (item: T) => unknown = (item) => item,
  ): FakeResponse {
    const perPage = Math.min(100, Math.max(1, intParam(request, 'per_page', 30)));
    const page = Math.max(1, intParam(request, 'page', 1));
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const body = items.slice((page - 1) * perPage, page * perPage).map((item) => render(item));
    const host = String(request.headers.host ?? '127.0.0.1');
    let linkPath = request.path;
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(request.path);
    if (this.#linkStyle === 'repository-id' && repoPath) {
      const repo = this.state.repo(
        decodeURIComponent(repoPath[1] ?? ''),
        decodeURIComponent(repoPath[2] ?? ''),
      );
      if (repo) linkPath = `/repositories/${repo.id}${repoPath[3] ?? ''}`;
    }
    const linkTo = (target: number) => {
      const url = new URL(`http://${host}${linkPath}`);
      for (const [key, value] of request.query) if (key !== 'page') url.searchParams.append(key, value);
      url.searchParams.set('page', String(target));
      return url.toString();
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${linkTo(page - 1)}>; rel="prev"`);
    if (page < lastPage) links.push(`<${linkTo(page + 1)}>; rel="next"`, `<${linkTo(lastPage)}>; rel="last"`);
    if (page > 1) links.push(`<${linkTo(1)}>; rel="first"`);
    return { status: 200, body, headers: links.length > 0 ? { link: links.join(', ') } : {} };
  }

  #withRepo(
    handler: (request: FakeRequest, repo: FakeRepoRecord) => FakeResponse,
  ): (request: FakeRequest) => FakeResponse {
    return (request) => {
      const repo = this.state.repo(request.params.owner ?? '', request.params.repo ?? '');
      return repo ? handler(request, repo) : notFound();
    };
  }

  #withIssue(
    handler: (request: FakeRequest, repo: FakeRepoRecord, issue: FakeIssueRecord) => FakeResponse,
  ): (request: FakeRequest) => FakeResponse {
    return this.#withRepo((request, repo) => {
      const number = Number(request.params.issue_number);
      const issue = Number.isInteger(number) ? repo.issues.get(number) : undefined;
      if (issue) return handler(request, repo, issue);
      return this.#goneResponse(request, repo, number) ?? notFound();
    });
  }

  #route(method: string, path: string, handler: (request: FakeRequest) => FakeResponse): RouteDefinition {
    return {
      method,
      // OpenAPI `{name}` -> FakeServer `:name`.
      pattern: path.replace(/\{(\w+)\}/g, ':$1'),
      name: `${method} ${path}`,
      handler: this.#wrap(handler),
    };
  }

  #routes(): RouteDefinition[] {
    return [...this.#discoveryRoutes(), ...this.#issueRoutes(), ...this.#relationRoutes()];
  }

  /** The viewer, their orgs and repositories, a repository's labels. */
  #discoveryRoutes(): RouteDefinition[] {
    return [
      this.#route('GET', '/user', () => this.#getUser()),
      this.#route('GET', '/user/orgs', (request) =>
        this.#paginate(
          request,
          [...this.state.memberships].map((login) => orgJson(this.state.orgs.get(login)!)),
        ),
      ),
      this.#route('GET', '/user/repos', (request) => this.#listUserRepos(request)),
      this.#route('GET', '/orgs/{org}/repos', (request) => this.#listOrgRepos(request)),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/labels',
        this.#withRepo((request, repo) =>
          this.#paginate(
            request,
            [...repo.labels.values()].map((label) => labelJson(repo, label)),
          ),
        ),
      ),
    ];
  }

  /** Issues, their events and comments. */
  #issueRoutes(): RouteDefinition[] {
    return [
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/events',
        this.#withRepo((request, repo) => this.#listEvents(request, repo)),
      ),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues',
        this.#withRepo((request, repo) => this.#listIssues(request, repo)),
      ),
      this.#route(
        'POST',
        '/repos/{owner}/{repo}/issues',
        this.#withRepo((request, repo) => this.#createIssue(request, repo)),
      ),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}',
        this.#withIssue((_request, repo, issue) => ({
          status: 200,
          body: issueJson(this.state, repo, issue),
        })),
      ),
      this.#route(
        'PATCH',
        '/repos/{owner}/{repo}/issues/{issue_number}',
        this.#withIssue((request, repo, issue) => this.#updateIssue(request, repo, issue)),
      ),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        this.#withIssue((request, repo, issue) => this.#listComments(request, repo, issue)),
      ),
      this.#route(
        'POST',
        '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        this.#withIssue((request, repo, issue) => this.#addComment(request, repo, issue)),
      ),
    ];
  }

  /** Sub-issues, parents and `blocked_by` / `blocking` dependencies. */
  #relationRoutes(): RouteDefinition[] {
    const issuesJson = (request: FakeRequest, repo: FakeRepoRecord, numbers: Iterable<number>) =>
      this.#paginate(
        request,
        [...numbers]
          .map((number) => repo.issues.get(number))
          .filter((related) => related !== undefined)
          .map((related) => issueJson(this.state, repo, related)),
      );
    return [
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues',
        this.#withIssue((request, repo, issue) => issuesJson(request, repo, issue.children)),
      ),
      this.#route(
        'POST',
        '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues',
        this.#withIssue((request, repo, issue) => this.#addSubIssue(request, repo, issue)),
      ),
      this.#route(
        'DELETE',
        '/repos/{owner}/{repo}/issues/{issue_number}/sub_issue',
        this.#withIssue((request, repo, issue) => this.#removeSubIssue(request, repo, issue)),
      ),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}/parent',
        this.#withIssue((_request, repo, issue) => {
          const parent = issue.parent === null ? undefined : repo.issues.get(issue.parent);
          return parent ? { status: 200, body: issueJson(this.state, repo, parent) } : notFound();
        }),
      ),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by',
        this.#withIssue((request, repo, issue) => issuesJson(request, repo, issue.blockedBy)),
      ),
      this.#route(
        'POST',
        '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by',
        this.#withIssue((request, repo, issue) => this.#addBlockedBy(request, repo, issue)),
      ),
      this.#route(
        'DELETE',
        '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}',
        this.#withIssue((request, repo, issue) => this.#removeBlockedBy(request, repo, issue)),
      ),
      this.#route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking',
        this.#withIssue((request, repo, issue) =>
          this.#paginate(
            request,
            issue.blocking
              .map((number) => repo.issues.get(number))
              .filter((blocked) => blocked !== undefined)
              .map((blocked) => issueJson(this.state, repo, blocked)),
          ),
        ),
      ),
    ];
  }

  #listComments(request: FakeRequest, repo: FakeRepoRecord, issue: FakeIssueRecord): FakeResponse {
    const since = request.query.get('since');
    const comments = issue.comments.filter(
      (comment) => since === null || Date.parse(comment.updatedAt) >= Date.parse(since),
    );
    return this.#paginate(
      request,
      comments.map((comment) => commentJson(this.state, repo, issue, comment)),
    );
  }

  // ---------------------------------------------------------------- discovery

  #getUser(): FakeResponse {
    const viewer = this.state.user(this.state.viewer);
    const publicRepos = [...this.state.repos.values()].filter(
      (repo) => repo.owner.toLowerCase() === viewer.login.toLowerCase() && !repo.private,
    ).length;
    return { status: 200, body: authenticatedUserJson(viewer, publicRepos) };
  }

  #sortRepos(request: FakeRequest, repos: FakeRepoRecord[], defaultSort: string): FakeRepoRecord[] {
    const sort = request.query.get('sort') ?? defaultSort;
    const direction = request.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
    const key = (repo: FakeRepoRecord) =>
      sort === 'full_name'
        ? `${repo.owner}/${repo.name}`.toLowerCase()
        : `${repo.createdAt}:${String(repo.id).padStart(12, '0')}`;
    const sorted = [...repos].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return direction === 'desc' ? sorted.reverse() : sorted;
  }

  #listUserRepos(request: FakeRequest): FakeResponse {
    const affiliation = (request.query.get('affiliation') ?? 'owner,collaborator,organization_member').split(
      ',',
    );
    const viewer = this.state.viewer.toLowerCase();
    const repos = [...this.state.repos.values()].filter((repo) => {
      const owner = repo.owner.toLowerCase();
      if (owner === viewer) return affiliation.includes('owner');
      if (this.state.memberships.has(owner)) return affiliation.includes('organization_member');
      return affiliation.includes('collaborator') && repo.collaborators.has(viewer);
    });
    return this.#paginate(
      request,
      this.#sortRepos(request, repos, 'full_name').map((repo) => repoJson(this.state, repo)),
    );
  }

  #listOrgRepos(request: FakeRequest): FakeResponse {
    const org = (request.params.org ?? '').toLowerCase();
    if (!this.state.orgs.has(org)) return notFound();
    const repos = [...this.state.repos.values()].filter((repo) => repo.owner.toLowerCase() === org);
    return this.#paginate(
      request,
      this.#sortRepos(request, repos, 'created').map((repo) => repoJson(this.state, repo)),
    );
  }

  // ---------------------------------------------------------------- issues

  #listIssues(request: FakeRequest, repo: FakeRepoRecord): FakeResponse {
    const state = request.query.get('state') ?? 'open';
    const labels = (request.query.get('labels') ?? '')
      .split(',')
      .map((label) => label.trim().toLowerCase())
      .filter(Boolean);
    const since = request.query.get('since');
    const sinceMs = since === null ? null : Date.parse(since);
    const assignee = request.query.get('assignee');
    const creator = request.query.get('creator');
    const sort = request.query.get('sort') ?? 'created';
    const direction = request.query.get('direction') ?? 'desc';
    const selected = [...repo.issues.values()].filter((issue) => {
      if (state !== 'all' && issue.state !== state) return false;
      if (labels.some((label) => !issue.labels.some((name) => name.toLowerCase() === label))) return false;
      if (sinceMs !== null && Date.parse(issue.updatedAt) < sinceMs) return false;
      if (assignee === 'none' && issue.assignees.length > 0) return false;
      if (assignee === '*' && issue.assignees.length === 0) return false;
      if (
        assignee &&
        assignee !== 'none' &&
        assignee !== '*' &&
        !issue.assignees.some((login) => login.toLowerCase() === assignee.toLowerCase())
      )
        return false;
      if (creator && issue.author.toLowerCase() !== creator.toLowerCase()) return false;
      return true;
    });
    const sortKey = (issue: FakeIssueRecord): number =>
      sort === 'updated'
        ? Date.parse(issue.updatedAt)
        : sort === 'comments'
          ? issue.comments.length
          : Date.parse(issue.createdAt);
    // Keys computed once per issue, not per comparison: listings of thousands of issues stay cheap.
    const keyed = selected.map((issue) => ({ issue, key: sortKey(issue) }));
    keyed.sort((a, b) => a.key - b.key || a.issue.id - b.issue.id);
    if (direction === 'desc') keyed.reverse();
    return this.#paginate(request, keyed, ({ issue }) => issueJson(this.state, repo, issue));
  }

  #listEvents(request: FakeRequest, repo: FakeRepoRecord): FakeResponse {
    const key = repoKey(repo.owner, repo.name);
    const events = this.state.events.filter((event) => event.repoKey === key).reverse();
    return this.#paginate(request, events, (event) => eventJson(this.state, repo, event));
  }

  /** Label names from a request body (`["bug"]` or `[{ name: "bug" }]`). */
  #labelNames(value: unknown): string[] {
    if (!Array.isArray(value)) return [];
    return value
      .map((item) =>
        typeof item === 'string'
          ? item
          : typeof item === 'object' && item !== null
            ? (item as { name?: unknown }).name
            : undefined,
      )
      .filter((name): name is string => typeof name === 'string' && name.length > 0);
  }

  #assigneeProblem(repo: FakeRepoRecord, logins: string[]): FakeResponse | null {
    const bad = logins.find((login) => !repo.collaborators.has(login.toLowerCase()));
    return bad === undefined ? null : validationFailed('assignees', 'invalid', bad);
  }

  #createIssue(request: FakeRequest, repo: FakeRepoRecord): FakeResponse {
    const body = request.body as Record<string, unknown>;
    const title = String(body.title ?? '');
    if (title.trim() === '') return validationFailed('title', 'missing_field');
    const assignees = Array.isArray(body.assignees)
      ? (body.assignees as string[])
      : typeof body.assignee === 'string'
        ? [body.assignee]
        : [];
    const problem = this.#assigneeProblem(repo, assignees);
    if (problem) return problem;
    const labels = this.#labelNames(body.labels);
    const issue = this.seedIssue({
      owner: repo.owner,
      repo: repo.name,
      title,
      body: typeof body.body === 'string' ? body.body : null,
      labels,
      assignees: [...new Set(assignees)],
    });
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}/issues/${issue.number}`;
    return { status: 201, body: issueJson(this.state, repo, issue), headers: { location: api } };
  }

  #updateIssue(request: FakeRequest, repo: FakeRepoRecord, issue: FakeIssueRecord): FakeResponse {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const plan = this.#checkUpdate(body, repo, issue);
    if ('status' in plan) return plan;
    const { assignees, nextState, reason } = plan;
    const before = { title: issue.title, body: issue.body };

    const events: IssueEventInit[] = [];
    let changed = false;
    if ('title' in body && String(body.title) !== issue.title) {
      events.push({ event: 'renamed', rename: { from: issue.title, to: String(body.title) } });
      issue.title = String(body.title);
      changed = true;
    }
    if ('body' in body) {
      const next = typeof body.body === 'string' ? body.body : null;
      if (next !== issue.body) {
        issue.body = next;
        changed = true;
      }
    }
    if (body.labels !== undefined && this.#replaceLabels(repo, issue, body.labels, events)) changed = true;
    if (assignees && replaceAssignees(issue, assignees, events)) changed = true;
    let closing = false;
    if (nextState !== issue.state) {
      changed = true;
      closing = nextState === 'closed';
      this.#changeState(issue, nextState, reason, events);
    } else if (reason !== undefined && reason !== null && reason !== issue.stateReason) {
      issue.stateReason = reason;
      changed = true;
    }
    if (changed) {
      const stamp = githubTimestamp(this.state.clock.tick());
      issue.updatedAt = stamp;
      if (closing) issue.closedAt = stamp;
      for (const event of events) this.state.recordEvent(repo, issue, event, stamp);
      githubIssueUpdateDeliveries(this.webhooks, this.state, repo, issue, before, events);
    }
    return { status: 200, body: issueJson(this.state, repo, issue) };
  }

  /** The 422 GitHub answers an invalid edit with, or what the edit asks for. */
  #checkUpdate(
    body: Record<string, unknown>,
    repo: FakeRepoRecord,
    issue: FakeIssueRecord,
  ):
    | FakeResponse
    | {
        assignees: string[] | null;
        nextState: 'open' | 'closed';
        reason: FakeIssueRecord['stateReason'] | undefined;
      } {
    if ('title' in body && (body.title === null || String(body.title).trim() === '')) {
      return validationFailed('title', 'missing_field');
    }
    let assignees: string[] | null = null;
    if (Array.isArray(body.assignees)) {
      assignees = (body.assignees as unknown[]).map((item) =>
        typeof item === 'string' ? item : String((item as { login?: unknown }).login ?? ''),
      );
    } else if ('assignee' in body) assignees = typeof body.assignee === 'string' ? [body.assignee] : [];
    if (assignees) {
      const problem = this.#assigneeProblem(repo, assignees);
      if (problem) return problem;
    }
    const state = body.state as 'open' | 'closed' | undefined;
    const reason = body.state_reason as FakeIssueRecord['stateReason'] | undefined;
    const nextState = state ?? issue.state;
    if (reason !== undefined && reason !== null) {
      const fitsClosed = reason === 'completed' || reason === 'not_planned' || reason === 'duplicate';
      if (fitsClosed !== (nextState === 'closed')) {
        return validationFailed(
          'state_reason',
          'invalid',
          reason,
          `state_reason "${reason}" is not valid for a${nextState === 'open' ? 'n open' : ' closed'} issue`,
        );
      }
    }
    return { assignees, nextState, reason };
  }

  /** Sets the labels (creating unknown ones), recording `labeled` / `unlabeled`; true on a change. */
  #replaceLabels(
    repo: FakeRepoRecord,
    issue: FakeIssueRecord,
    labels: unknown,
    events: IssueEventInit[],
  ): boolean {
    const next = [...new Set(this.#labelNames(labels))];
    for (const name of next) this.#ensureLabel(repo, name);
    const lower = (list: string[]) => list.map((name) => name.toLowerCase());
    for (const name of next)
      if (!lower(issue.labels).includes(name.toLowerCase()))
        events.push({ event: 'labeled', label: { name, color: 'ededed' } });
    for (const name of issue.labels)
      if (!lower(next).includes(name.toLowerCase()))
        events.push({ event: 'unlabeled', label: { name, color: 'ededed' } });
    const changed = lower(next).join('\n') !== lower(issue.labels).join('\n');
    issue.labels = next;
    return changed;
  }

  /** Closes or reopens the issue (its timestamp is stamped by the caller), recording the event. */
  #changeState(
    issue: FakeIssueRecord,
    nextState: 'open' | 'closed',
    reason: FakeIssueRecord['stateReason'] | undefined,
    events: IssueEventInit[],
  ): void {
    issue.state = nextState;
    if (nextState === 'closed') {
      issue.stateReason = reason ?? 'completed';
      issue.closedBy = this.state.viewer;
      events.push({ event: 'closed' });
    } else {
      issue.stateReason = 'reopened';
      issue.closedAt = null;
      issue.closedBy = null;
      events.push({ event: 'reopened' });
    }
  }

  #addComment(request: FakeRequest, repo: FakeRepoRecord, issue: FakeIssueRecord): FakeResponse {
    const body = request.body as { body?: unknown };
    if (typeof body.body !== 'string' || body.body.trim() === '')
      return validationFailed('body', 'missing_field');
    const at = githubTimestamp(this.state.clock.tick());
    const comment = {
      id: this.state.nextId(),
      body: body.body,
      author: this.state.viewer,
      createdAt: at,
      updatedAt: at,
    };
    issue.comments.push(comment);
    issue.updatedAt = at;
    githubCommentDelivery(this.webhooks, this.state, repo, issue, comment);
    return {
      status: 201,
      body: commentJson(this.state, repo, issue, comment),
      headers: {
        location: `https://api.github.com/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
      },
    };
  }

  #addSubIssue(request: FakeRequest, repo: FakeRepoRecord, parent: FakeIssueRecord): FakeResponse {
    const body = request.body as { sub_issue_id: number; replace_parent?: boolean };
    const found = this.state.issueById(repo.owner, body.sub_issue_id);
    if (!found || found.repo !== repo)
      return validationFailed('sub_issue_id', 'invalid', body.sub_issue_id, 'Sub-issue does not exist');
    const child = found.issue;
    if (child.id === parent.id)
      return validationFailed(
        'sub_issue_id',
        'invalid',
        body.sub_issue_id,
        'An issue cannot be its own sub-issue',
      );
    for (
      let cursor: number | null = parent.parent;
      cursor !== null;
      cursor = repo.issues.get(cursor)?.parent ?? null
    ) {
      if (cursor === child.number)
        return validationFailed(
          'sub_issue_id',
          'invalid',
          body.sub_issue_id,
          'Sub-issue would create a cycle',
        );
    }
    if (child.parent === parent.number) {
      return validationFailed(
        'sub_issue_id',
        'invalid',
        body.sub_issue_id,
        'Issue is already a sub-issue of this parent',
      );
    }
    if (child.parent !== null) {
      if (!body.replace_parent)
        return validationFailed(
          'sub_issue_id',
          'invalid',
          body.sub_issue_id,
          'Issue may not have more than one parent',
        );
      const previous = repo.issues.get(child.parent);
      if (previous) previous.children = previous.children.filter((number) => number !== child.number);
    }
    const at = githubTimestamp(this.state.clock.tick());
    child.parent = parent.number;
    parent.children.push(child.number);
    child.updatedAt = at;
    parent.updatedAt = at;
    this.state.recordEvent(repo, parent, { event: 'sub_issue_added' }, at);
    this.state.recordEvent(repo, child, { event: 'parent_issue_added' }, at);
    githubSubIssueDeliveries(this.webhooks, this.state, repo, parent, child, 'added');
    return {
      status: 201,
      body: issueJson(this.state, repo, parent),
      headers: {
        location: `https://api.github.com/repos/${repo.owner}/${repo.name}/issues/${parent.number}/sub_issues`,
      },
    };
  }

  #removeSubIssue(request: FakeRequest, repo: FakeRepoRecord, parent: FakeIssueRecord): FakeResponse {
    const body = request.body as { sub_issue_id: number };
    const found = this.state.issueById(repo.owner, body.sub_issue_id);
    if (!found || found.issue.parent !== parent.number) return notFound();
    const at = githubTimestamp(this.state.clock.tick());
    found.issue.parent = null;
    found.issue.updatedAt = at;
    parent.children = parent.children.filter((number) => number !== found.issue.number);
    parent.updatedAt = at;
    githubSubIssueDeliveries(this.webhooks, this.state, repo, parent, found.issue, 'removed');
    return { status: 200, body: issueJson(this.state, repo, parent) };
  }

  #addBlockedBy(request: FakeRequest, repo: FakeRepoRecord, issue: FakeIssueRecord): FakeResponse {
    const body = request.body as { issue_id: number };
    const found = this.state.issueById(repo.owner, body.issue_id);
    if (!found || found.repo !== repo) return notFound();
    const blocker = found.issue;
    if (blocker.id === issue.id)
      return validationFailed('issue_id', 'invalid', body.issue_id, 'An issue cannot block itself');
    if (issue.blockedBy.includes(blocker.number))
      return validationFailed('issue_id', 'already_exists', body.issue_id, 'Dependency already exists');
    issue.blockedBy.push(blocker.number);
    blocker.blocking.push(issue.number);
    // Both issues record the dependency on their timelines (`blocked_by_added`, `blocking_added`).
    issue.updatedAt = githubTimestamp(this.state.clock.tick());
    blocker.updatedAt = issue.updatedAt;
    return {
      status: 201,
      body: issueJson(this.state, repo, blocker),
      headers: {
        location: `https://api.github.com/repos/${repo.owner}/${repo.name}/issues/${issue.number}/dependencies/blocked_by`,
      },
    };
  }

  #removeBlockedBy(request: FakeRequest, repo: FakeRepoRecord, issue: FakeIssueRecord): FakeResponse {
    const id = Number(request.params.issue_id);
    const found = this.state.issueById(repo.owner, id);
    if (!found || found.repo !== repo || !issue.blockedBy.includes(found.issue.number)) return notFound();
    issue.blockedBy = issue.blockedBy.filter((number) => number !== found.issue.number);
    found.issue.blocking = found.issue.blocking.filter((number) => number !== issue.number);
    issue.updatedAt = githubTimestamp(this.state.clock.tick());
    found.issue.updatedAt = issue.updatedAt;
    return { status: 200, body: issueJson(this.state, repo, found.issue) };
  }
}

/** Creates and starts a GitHub fake. */
type IssueEventInit = Parameters<GitHubFakeState['recordEvent']>[2];

/** Sets the issue's assignees, recording `assigned` / `unassigned`; true when they changed. */
function replaceAssignees(issue: FakeIssueRecord, assignees: string[], events: IssueEventInit[]): boolean {
  const next = [...new Set(assignees)];
  for (const login of next)
    if (!issue.assignees.includes(login)) events.push({ event: 'assigned', assignee: login });
  for (const login of issue.assignees)
    if (!next.includes(login)) events.push({ event: 'unassigned', assignee: login });
  const changed = next.join('\n') !== issue.assignees.join('\n');
  issue.assignees = next;
  return changed;
}

export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  return new GitHubFake(options).start();
}
