// The scale scenario shared by the e2e test and the benchmark: B bindings × N issues synced by W
// worker processes on one PostgreSQL. Phase 1 syncs every binding cold (timed); phase 2 changes
// every issue on every "remote" and, optionally, SIGKILLs one worker mid-run; then it checks that
// every binding converged, that no binding ever ran twice at once (run log), and that nothing
// was lost or duplicated.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SyncWorker } from '../dist/index.js';

const CHILD = fileURLToPath(new URL('./worker-child.mjs', import.meta.url));

function startChild(index, options) {
  const child = spawn(process.execPath, [CHILD], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      WORKER_SCHEMA: options.schema,
      WORKER_ID: `worker-${index}`,
      WORKER_CONCURRENCY: String(options.concurrency),
      WORKER_LEASE_MS: String(options.leaseMs),
      WORKER_EXPIRE_SECONDS: String(options.expireSeconds),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`worker-${index} exited early (${code ?? signal})`)),
    );
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, ready, exited };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`scale run: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * @param {{ databaseUrl: string, schema: string, bindings: number, issues: number, workers: number,
 *   concurrency?: number, pageSize?: number, kill?: boolean, phases?: 1 | 2, timeoutMs?: number,
 *   leaseMs?: number, expireSeconds?: number }} options
 */
export async function runScale(options) {
  const settings = {
    concurrency: 2,
    pageSize: 100,
    leaseMs: 3000,
    expireSeconds: 10,
    timeoutMs: 300_000,
    ...options,
  };
  const client = await SyncWorker.start({
    connectionString: settings.databaseUrl,
    schema: settings.schema,
    work: false,
    poolSize: 4,
  });
  const pool = client.store.pool;
  const table = (name) => `"${settings.schema}".${name}`;
  const ids = Array.from(
    { length: settings.bindings },
    (_, index) => `binding-${String(index).padStart(4, '0')}`,
  );
  await client.bindings.addMany(
    ids.map((id) => ({
      id,
      provider: 'memory',
      config: { issues: settings.issues, revision: 1 },
      intervalSeconds: 86_400,
      syncOptions: { limit: settings.pageSize },
    })),
  );
  const children = Array.from({ length: settings.workers }, (_, index) => startChild(index, settings));
  const result = { phase1Seconds: 0, phase2Seconds: 0, killed: null, runs: 0, okRuns: 0, releasedOrLost: 0 };
  try {
    await Promise.all(children.map((entry) => entry.ready));
    const okRuns = async () =>
      Number((await pool.query(`SELECT COUNT(*) AS n FROM ${table('runs')} WHERE outcome = 'ok'`)).rows[0].n);

    // Phase 1: every binding syncs cold.
    let started = performance.now();
    await client.tick();
    await waitUntil('phase 1', async () => (await okRuns()) >= settings.bindings, settings.timeoutMs);
    result.phase1Seconds = (performance.now() - started) / 1000;

    if ((settings.phases ?? 2) === 2) {
      // Phase 2: every remote issue changes; one worker dies mid-run.
      await pool.query(
        `UPDATE ${table('bindings')} SET config = jsonb_set(config, '{revision}', '2'), next_run_at = now()`,
      );
      started = performance.now();
      await client.tick();
      if (settings.kill) {
        await waitUntil(
          'worker-0 to be mid-run',
          async () =>
            (
              await pool.query(
                `SELECT 1 FROM ${table('runs')} r WHERE holder = 'worker-0' AND finished_at IS NULL
                   AND started_at > now() - interval '1 minute'
                   AND EXISTS (SELECT 1 FROM ${table('checkpoints')} c WHERE c.scope_id = r.scope_id)`,
              )
            ).rowCount > 0,
          settings.timeoutMs,
        );
        children[0].child.kill('SIGKILL');
        await children[0].exited;
        result.killed = (await pool.query('SELECT now() AS at')).rows[0].at;
      }
      await waitUntil('phase 2', async () => (await okRuns()) >= 2 * settings.bindings, settings.timeoutMs);
      result.phase2Seconds = (performance.now() - started) / 1000;
    }
  } finally {
    for (const entry of children) entry.child.kill('SIGTERM');
    await Promise.all(children.map((entry) => entry.exited));
  }

  const revision = (settings.phases ?? 2) === 2 ? 2 : 1;
  const [overlaps, wrong, extra, runs] = await Promise.all([
    pool.query(
      `SELECT COUNT(*) AS n FROM ${table('runs')} a JOIN ${table('runs')} b ON a.scope_id = b.scope_id AND a.id < b.id
       WHERE a.started_at < COALESCE(b.finished_at, $1::timestamptz, 'infinity')
         AND b.started_at < COALESCE(a.finished_at, $1::timestamptz, 'infinity')`,
      [result.killed],
    ),
    // Lost updates: a binding whose issues are not exactly the remote's latest content.
    pool.query(
      `SELECT COUNT(*) AS n FROM ${table('bindings')} b WHERE
         (SELECT COUNT(*) FROM ${table('issues')} i WHERE i.scope_id = b.id) <> $1
         OR EXISTS (SELECT 1 FROM ${table('issues')} i WHERE i.scope_id = b.id
           AND (i.payload::jsonb ->> 'title') <> format('Issue %s of %s r%s', substr(i.external_id, 3)::int, b.id, $2::int))
         OR EXISTS (SELECT 1 FROM ${table('sync_bases')} s WHERE s.scope_id = b.id
           AND (s.payload::jsonb ->> 'title') <> format('Issue %s of %s r%s', substr(s.identity, length(s.identity) - 4)::int, b.id, $2::int))
         OR (SELECT cursor FROM ${table('checkpoints')} c WHERE c.scope_id = b.id AND c.scope = 'memory') IS NOT NULL`,
      [settings.issues, revision],
    ),
    // Duplicates: rows beyond one per remote issue (the primary key makes this 0 by design).
    pool.query(
      `SELECT COALESCE(SUM(n - $1), 0) AS n FROM (SELECT COUNT(*) AS n FROM ${table('issues')} GROUP BY scope_id) per`,
      [settings.issues],
    ),
    pool.query(
      `SELECT outcome, holder, COUNT(*) AS n FROM ${table('runs')} GROUP BY outcome, holder ORDER BY holder, outcome`,
    ),
  ]);
  await client.stop();
  return {
    ...result,
    overlaps: Number(overlaps.rows[0].n),
    lostUpdates: Number(wrong.rows[0].n),
    duplicates: Number(extra.rows[0].n),
    runsByOutcome: runs.rows.map((row) => ({
      outcome: row.outcome,
      holder: row.holder,
      runs: Number(row.n),
    })),
  };
}
