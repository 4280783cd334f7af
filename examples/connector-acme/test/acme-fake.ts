// A stateful fake of the Acme Tracker API on 127.0.0.1, built on the testkit's fake server. It
// rejects what the real API rejects (no bearer token, unknown or ill-typed fields), so a
// connector bug fails the test instead of passing against a lenient fake.
import { type FakeRequest, type FakeServer, startFakeServer } from '@spec-kitty/connector-testkit';
import * as v from 'valibot';

// The fake models the API on its own (it imports nothing from the connector), so it can check
// the connector rather than agree with it; the e2e test also copies it into a project as is.
const ACME_STATES = ['open', 'doing', 'review', 'blocked', 'closed', 'dropped'] as const;
const ACME_KINDS = ['epic', 'story', 'task', 'bug', 'chore', 'subtask'] as const;

/** An issue as the Acme API stores and returns it. */
export interface AcmeIssue {
  number: number;
  title: string;
  description: string | null;
  state: (typeof ACME_STATES)[number];
  kind: (typeof ACME_KINDS)[number];
  priority: number | null;
  labels: string[];
  assignees: string[];
  client_key: string | null;
  created_at: string;
  updated_at: string;
  web_url: string;
}

const fields = {
  title: v.pipe(v.string(), v.nonEmpty()),
  description: v.nullable(v.string()),
  state: v.picklist(ACME_STATES),
  kind: v.picklist(ACME_KINDS),
  priority: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4))),
  labels: v.array(v.string()),
  assignees: v.array(v.string()),
};
const createBody = v.strictObject({
  ...v.partial(v.object(fields)).entries,
  title: fields.title,
  client_key: v.nullish(v.string()),
});
const patchBody = v.strictObject(v.partial(v.object(fields)).entries);
const commentBody = v.strictObject({ body: v.pipe(v.string(), v.nonEmpty()) });

/** A running Acme fake: the server plus its state. */
export interface AcmeFake {
  readonly server: FakeServer;
  readonly url: string;
  readonly issues: Map<number, AcmeIssue>;
  readonly comments: { issue: number; body: string }[];
  /** Adds an issue as if someone had created it in Acme. */
  seed(init: { title: string } & Partial<AcmeIssue>): AcmeIssue;
  close(): Promise<void>;
  assertNoViolations(): void;
}

function bodyProblems(request: FakeRequest): string[] {
  const schema =
    request.endpoint === 'POST /issues'
      ? createBody
      : request.endpoint === 'PATCH /issues/{number}'
        ? patchBody
        : request.endpoint === 'POST /issues/{number}/comments'
          ? commentBody
          : null;
  if (schema === null) return [];
  const result = v.safeParse(schema, request.body);
  return result.success
    ? []
    : result.issues.map((issue) => `body ${v.getDotPath(issue) ?? ''}: ${issue.message}`);
}

/** Starts an Acme fake for `project` that accepts `token`. */
export async function startAcmeFake(options: { project?: string; token?: string } = {}): Promise<AcmeFake> {
  const project = options.project ?? 'demo';
  const token = options.token ?? 'test-token';
  const issues = new Map<number, AcmeIssue>();
  const comments: { issue: number; body: string }[] = [];
  let last = 0;
  // Strictly increasing timestamps, so `updated_since` sees every write in order.
  const now = () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
  const base = `/api/v1/projects/${project}`;
  let server: FakeServer;

  const seed = (init: { title: string } & Partial<AcmeIssue>): AcmeIssue => {
    const number = issues.size + 1;
    const at = now();
    const issue: AcmeIssue = {
      description: null,
      state: 'open',
      kind: 'task',
      priority: null,
      labels: [],
      assignees: [],
      client_key: null,
      created_at: at,
      updated_at: at,
      web_url: `${server.url}/demo/issues/${number}`,
      ...init,
      number,
    };
    issues.set(number, issue);
    return issue;
  };
  const found = (request: FakeRequest) => issues.get(Number(request.params.number));
  const notFound = { status: 404, body: { error: 'issue not found' } };

  server = await startFakeServer({
    name: 'Acme',
    rejectStatus: 422,
    validateRequest: (request) =>
      request.headers.authorization === `Bearer ${token}`
        ? bodyProblems(request)
        : ['missing or wrong Authorization: Bearer token (Acme answers 401)'],
    routes: [
      {
        method: 'GET',
        pattern: `${base}/issues`,
        name: 'GET /issues',
        handler: (request) => {
          const since = request.query.get('updated_since');
          const clientKey = request.query.get('client_key');
          const perPage = Number(request.query.get('per_page') ?? 30);
          const offset = Number(request.query.get('page_token') ?? 0);
          const matching = [...issues.values()].filter(
            (issue) =>
              (since === null || Date.parse(issue.updated_at) >= Date.parse(since)) &&
              (clientKey === null || issue.client_key === clientKey),
          );
          const page = matching.slice(offset, offset + perPage);
          const next = offset + perPage < matching.length ? String(offset + perPage) : null;
          return { status: 200, body: { issues: page, next_page_token: next } };
        },
      },
      {
        method: 'POST',
        pattern: `${base}/issues`,
        name: 'POST /issues',
        handler: (request) => {
          const body = request.body as { title: string; client_key?: string | null };
          const existing = [...issues.values()].find(
            (issue) => body.client_key != null && issue.client_key === body.client_key,
          );
          return existing ? { status: 200, body: existing } : { status: 201, body: seed(body) };
        },
      },
      {
        method: 'GET',
        pattern: `${base}/issues/:number`,
        name: 'GET /issues/{number}',
        handler: (request) => {
          const issue = found(request);
          return issue ? { status: 200, body: issue } : notFound;
        },
      },
      {
        method: 'PATCH',
        pattern: `${base}/issues/:number`,
        name: 'PATCH /issues/{number}',
        handler: (request) => {
          const issue = found(request);
          if (!issue) return notFound;
          const updated = { ...issue, ...(request.body as Partial<AcmeIssue>), updated_at: now() };
          issues.set(issue.number, updated);
          return { status: 200, body: updated };
        },
      },
      {
        method: 'POST',
        pattern: `${base}/issues/:number/comments`,
        name: 'POST /issues/{number}/comments',
        handler: (request) => {
          const issue = found(request);
          if (!issue) return notFound;
          comments.push({ issue: issue.number, body: (request.body as { body: string }).body });
          return { status: 201, body: { id: comments.length } };
        },
      },
    ],
  });
  return {
    server,
    url: server.url,
    issues,
    comments,
    seed,
    close: () => server.close(),
    assertNoViolations: () => server.assertNoViolations(),
  };
}
