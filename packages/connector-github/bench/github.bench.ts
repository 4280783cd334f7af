// GitHub connector benchmark against the GitHub fake: API calls and wall time for a full scan,
// an unchanged incremental poll, a scan with concurrent edits, and a push of new issues with the
// sync engine's check-before-create. "original" rows replay the original's algorithm (page-number
// cursors, no ETag, one marker lookup per create). Run: `pnpm bench` (after a build).
import { performance } from 'node:perf_hooks';
import { CanonicalIssueType, CanonicalStatus, createIssue, createRef } from '@spec-kitty/core';
import { GitHubFake } from '@spec-kitty/fake-trackers/github';
import { GitHubConnector } from '../src/github-connector';

const N = Number(process.env.BENCH_ISSUES ?? 2000);
const LIST = 'GET /repos/{owner}/{repo}/issues';
const TOKEN = 'bench-token';
const rows: string[][] = [];

async function withFake<T>(body: (fake: GitHubFake) => Promise<T>): Promise<T> {
  // Spec validation off: measure the connector, not ajv.
  const fake = await new GitHubFake({ token: TOKEN, validate: false }).start();
  try {
    return await body(fake);
  } finally {
    await fake.close();
  }
}

/** A proxy that drops response headers: the original read no Link header, only row counts. */
const noHeaders: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = response.status === 304 ? null : await response.arrayBuffer();
  return new Response(body, { status: response.status, headers: { 'content-type': 'application/json' } });
};

function connect(
  fake: GitHubFake,
  extra: { markerIndexTtlSeconds?: number; original?: boolean } = {},
): GitHubConnector {
  const { original, ...config } = extra;
  return new GitHubConnector(
    { owner: fake.owner, repo: fake.repo, token: TOKEN, baseUrl: fake.url, overlapSeconds: 0, ...config },
    original ? { fetch: noHeaders } : {},
  );
}

async function scan(connector: GitHubConnector, startCursor: string | null, onPage?: (page: number) => void) {
  const seen = new Set<string>();
  let cursor = startCursor;
  let pages = 0;
  do {
    const page = await connector.listIssues({ updatedSince: null, cursor, limit: 100 });
    for (const issue of page.items) seen.add(issue.ref.id);
    cursor = page.nextCursor;
    pages += 1;
    onPage?.(pages);
  } while (cursor !== null);
  return seen;
}

function record(scenario: string, variant: string, calls: number, ms: number, note: string): void {
  rows.push([scenario, variant, String(calls), ms.toFixed(0), note]);
}

async function fullScan(): Promise<void> {
  for (const [variant, cursor] of [
    ['this connector (keyset + Link)', null],
    ['original (page numbers, row-count rule)', '1'],
  ] as const) {
    await withFake(async (fake) => {
      for (let index = 0; index < N; index += 1)
        fake.seedIssue({ title: `Issue ${index}`, pullRequest: index % 10 === 0 });
      const started = performance.now();
      const seen = await scan(connect(fake, { original: cursor !== null }), cursor);
      record(
        `full scan, ${N} rows (10% PRs)`,
        variant,
        fake.server.callCount(LIST),
        performance.now() - started,
        `${seen.size} issues`,
      );
    });
  }
}

async function noopPoll(): Promise<void> {
  await withFake(async (fake) => {
    for (let index = 0; index < 100; index += 1) fake.seedIssue({ title: `Issue ${index}` });
    const connector = connect(fake);
    const since = new Date(fake.issues()[50]?.updatedAt ?? 0);
    await connector.listIssues({ updatedSince: since, cursor: null, limit: 100 });
    fake.server.resetCalls();
    const started = performance.now();
    await connector.listIssues({ updatedSince: since, cursor: null, limit: 100 });
    const statuses = fake.server.calls.map((call) => call.status).join(',');
    record(
      'unchanged incremental poll',
      'this connector (ETag)',
      fake.server.callCount(),
      performance.now() - started,
      `status ${statuses}, no rate-limit cost`,
    );
  });
  record(
    'unchanged incremental poll',
    'original',
    1,
    Number.NaN,
    'status 200, full page, counts against the rate limit',
  );
}

async function editsDuringScan(): Promise<void> {
  for (const [variant, cursor] of [
    ['this connector (keyset + Link)', null],
    ['original (page numbers, row-count rule)', '1'],
  ] as const) {
    await withFake(async (fake) => {
      for (let index = 0; index < 1000; index += 1) fake.seedIssue({ title: `Issue ${index}` });
      let edited = 0;
      const started = performance.now();
      const seen = await scan(connect(fake, { original: cursor !== null }), cursor, (page) => {
        // Someone edits an already-read issue after every page.
        const target = fake.issues()[page - 1];
        if (target) {
          fake.editIssue(target.number, () => {});
          edited += 1;
        }
      });
      const missed = fake.issues().filter((issue) => !seen.has(String(issue.number))).length;
      record(
        'scan of 1000 with an edit per page',
        variant,
        fake.server.callCount(LIST),
        performance.now() - started,
        `${missed} issues missed (${edited} edits)`,
      );
    });
  }
}

async function pushNew(): Promise<void> {
  for (const [variant, ttl] of [
    ['this connector (marker index)', 60],
    ['one lookup per create', 0],
  ] as const) {
    await withFake(async (fake) => {
      for (let index = 0; index < 250; index += 1) fake.seedIssue({ title: `Existing ${index}` });
      const connector = connect(fake, { markerIndexTtlSeconds: ttl });
      const started = performance.now();
      for (let seq = 0; seq < 50; seq += 1) {
        const issue = createIssue({
          ref: createRef({ system: 'local', workspace: 'bench', id: `L-${seq}` }),
          title: `New ${seq}`,
          body: null,
          status: CanonicalStatus.TODO,
          issueType: CanonicalIssueType.TASK,
        });
        const options = { idempotencyKey: `sync:create:local:bench:L-${seq}` };
        if ((await connector.findCreatedIssue(issue, options)) === null)
          await connector.createIssue(issue, options);
      }
      record(
        'push 50 new issues (check before create)',
        variant,
        fake.server.callCount(),
        performance.now() - started,
        `${fake.issues().length - 250} created`,
      );
    });
  }
}

// Warm-up (module loading, JIT, sockets) so the first measured row is not penalised.
await withFake(async (fake) => {
  for (let index = 0; index < 300; index += 1) fake.seedIssue({ title: `Warm-up ${index}` });
  await scan(connect(fake), null);
  await scan(connect(fake, { original: true }), '1');
});
await fullScan();
await noopPoll();
await editsDuringScan();
await pushNew();

const header = ['scenario', 'variant', 'API calls', 'ms', 'result'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row.map((cell) => (cell === 'NaN' ? '-' : cell))));
