import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import {
  type CanonicalIssue,
  CanonicalIssueType,
  CanonicalStatus,
  type ConflictRecord,
  ConflictStrategy,
  cloneIssue,
  createIssue,
  createRef,
  FieldOwner,
  OwnershipPolicy,
  refIdentity,
  SyncEngine,
  type SyncResult,
} from '@spec-kitty/core';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import {
  type Command,
  type CommandContext,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  PROGRESS_FLAG,
  parseCommandArgs,
  say,
} from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { createProgressReporter } from './progress-bar';
import { reportDiscarded } from './run-warnings';
import { renderResult, resultToJSON } from './sync-report';
import { renderTable } from './table';

const WORKSPACE = 'demo';
const ref = (id: string) => createRef({ system: 'memory', workspace: WORKSPACE, id, key: id });

/** A clock that moves one minute per reading, so the demo's output is the same on every run. */
function steppingClock(start: Date): () => Date {
  let time = start.getTime();
  return () => {
    time += 60_000;
    return new Date(time);
  };
}

const SEED = [
  { id: 'DEMO-1', title: 'Set up CI', status: CanonicalStatus.DONE, labels: ['infra'] },
  { id: 'DEMO-2', title: 'Write the sync engine', status: CanonicalStatus.IN_PROGRESS, labels: ['engine'] },
  { id: 'DEMO-3', title: 'Ship the CLI', status: CanonicalStatus.TODO, labels: ['cli'] },
  { id: 'DEMO-4', title: 'Document the store', status: CanonicalStatus.TODO, labels: ['docs'] },
];

const OPTIONS = {
  ...GLOBAL_FLAGS,
  ...PROGRESS_FLAG,
  db: {
    type: 'string',
    placeholder: 'PATH',
    description: 'keep the demo store in this SQLite file (re-running starts it over)',
    default: 'a temporary file, removed afterwards',
  },
} as const satisfies FlagSpecs;

/**
 * The demo seeds a fresh in-memory tracker each time, so a kept store from an earlier demo is
 * started over; a store holding anything but demo issues is refused, never deleted.
 */
async function clearDemoStore(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const store = SqliteIssueStore.open(path);
  let foreign: string | undefined;
  try {
    const issues = await store.listIssues();
    foreign = issues
      .map((issue) => refIdentity(issue.ref))
      .find((identity) => !identity.startsWith(`memory:${WORKSPACE}:`));
  } finally {
    store.close();
  }
  if (foreign !== undefined) {
    throw new UsageError(
      `demo: ${path} is not a demo store (it holds ${foreign}); give --db a new file or an earlier demo's store.`,
    );
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** One demo: its tracker, store and engine, and the sync rounds run so far. */
interface DemoSession {
  readonly dbPath: string;
  /** The temporary directory holding the store, or null when `--db` keeps it. */
  readonly tempDir: string | null;
  readonly clock: () => Date;
  readonly tracker: InMemoryConnector;
  readonly store: SqliteIssueStore;
  readonly engine: SyncEngine;
  readonly showProgress: boolean;
  readonly rounds: { title: string; result: SyncResult }[];
}

type DemoChecks = Record<string, boolean>;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Two-way sync between a seeded in-memory tracker and a SQLite store, with a conflict',
  usage: 'demo [options]',
  options: OPTIONS,
  examples: ['demo', 'demo --db demo.db', '--json demo'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('demo', ctx.args, OPTIONS);
    if (positionals.length > 0)
      throw new UsageError(`demo: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const demo = await openDemo(
      ctx,
      values.db,
      ctx.progress && !values['no-progress'] && !ctx.json && !ctx.quiet,
    );
    try {
      say(ctx, 'spec-kitty tracker demo: an in-memory tracker ⇄ a SQLite store');
      say(ctx, `store: ${demo.dbPath}${demo.tempDir ? ' (temporary)' : ''}`);
      say(
        ctx,
        `policy: split ownership (body → tracker, priority → spec-kitty, rest shared), conflicts → newer timestamp`,
      );
      await seedTracker(ctx, demo.tracker);
      const first = await runRound(ctx, demo, 'Round 1: first sync pulls everything');
      await editBothSides(ctx, demo);
      const plan = await demo.engine.plan({ limit: 2 });
      say(ctx, `\nplan: the next sync would make ${plan.writes.length} write(s) (dry run, nothing changed)`);
      const second = await runRound(
        ctx,
        demo,
        'Round 2: sync merges both sides; the DEMO-2 title conflict is resolved by policy',
      );
      const third = await runRound(ctx, demo, 'Round 3: nothing changed, so the sync is a no-op');

      const issues = await demo.store.listIssues({ system: 'memory' });
      say(ctx, '\nLocal store after the demo:');
      say(ctx, renderStoreTable(issues));
      const remote = await demo.tracker.getIssue(ref('DEMO-3'));
      const conflict = second.conflicts.find((c) => c.fieldName === 'title' && c.issueRef?.id === 'DEMO-2');
      const checks = checkDemo(demo, { first, second, third }, issues, remote, conflict);
      const ok = Object.values(checks).every(Boolean);
      emitJson(ctx, {
        command: 'demo',
        store: demo.dbPath,
        rounds: demo.rounds.map((round) => ({ title: round.title, ...resultToJSON(round.result) })),
        plannedWrites: plan.writes.length,
        issues: issues.map((issue) => ({
          issue: refIdentity(issue.ref),
          status: issue.status,
          labels: issue.labels,
          title: issue.title,
        })),
        checks,
        ok,
      });
      say(
        ctx,
        `\nConflict: DEMO-2 title, local ${JSON.stringify(conflict?.localValue)} vs tracker ${JSON.stringify(conflict?.externalValue)} → ${JSON.stringify(conflict?.resolvedValue)} (${conflict?.strategy})`,
      );
      say(
        ctx,
        ok
          ? '\nDemo finished: both sides agree and a repeat sync changes nothing.'
          : `\nDemo checks failed: ${JSON.stringify(checks)}`,
      );
      return ok ? ExitCode.OK : ExitCode.ERROR;
    } finally {
      demo.store.close();
      if (demo.tempDir) rmSync(demo.tempDir, { recursive: true, force: true });
    }
  },
};

/** Opens the demo's store (a temporary one unless `--db`) and wires the engine to a fresh tracker. */
async function openDemo(
  ctx: CommandContext,
  db: string | undefined,
  showProgress: boolean,
): Promise<DemoSession> {
  const tempDir = db === undefined ? mkdtempSync(join(tmpdir(), 'spec-kitty-demo-')) : null;
  const dbPath = db === undefined ? join(tempDir as string, 'demo.db') : resolve(ctx.io.cwd, db);
  const clock = steppingClock(new Date('2026-01-05T09:00:00.000Z'));
  const tracker = new InMemoryConnector({ name: 'memory', workspace: WORKSPACE }, { now: clock });
  if (tempDir === null) await clearDemoStore(dbPath);
  const store = SqliteIssueStore.open(dbPath);
  // Body belongs to the tracker, priority to spec-kitty, everything else is shared: two-sided
  // edits of a shared field are conflicts, resolved here by the newer timestamp.
  const policy = OwnershipPolicy.split({
    fieldOwners: { body: FieldOwner.EXTERNAL, priority: FieldOwner.LOCAL },
    defaultOwner: FieldOwner.SHARED,
  });
  const engine = new SyncEngine({
    connector: tracker,
    store,
    policy,
    strategy: ConflictStrategy.NEWER_TIMESTAMP,
    checkpointScope: `memory:${WORKSPACE}`,
  });
  return { dbPath, tempDir, clock, tracker, store, engine, showProgress, rounds: [] };
}

/** One journaled sync round, printed as a result table. */
async function runRound(ctx: CommandContext, demo: DemoSession, title: string): Promise<SyncResult> {
  say(ctx, `\n== ${title}`);
  const progress = createProgressReporter(ctx.io.stderr, { enabled: demo.showProgress, label: 'sync' });
  const runId = await demo.store.beginRun('sync', `memory:${WORKSPACE}`);
  const result = await demo.engine.sync({ limit: 2, onProgress: (event) => progress.onEvent(event) });
  progress.finish();
  await demo.store.recordConflicts(runId, result.conflicts);
  await demo.store.finishRun(runId, 'ok', { stats: { ...result.stats } });
  demo.rounds.push({ title, result });
  say(ctx, renderResult(result, progress.counts.issues));
  reportDiscarded(ctx, result.discarded);
  return result;
}

async function seedTracker(ctx: CommandContext, tracker: InMemoryConnector): Promise<void> {
  for (const seed of SEED) {
    await tracker.createIssue(
      createIssue({
        ref: ref(seed.id),
        title: seed.title,
        status: seed.status,
        issueType: CanonicalIssueType.TASK,
        labels: seed.labels,
        body: `About ${seed.title.toLowerCase()}.`,
      }),
    );
  }
  say(ctx, `\nSeeded the tracker with ${SEED.length} issues.`);
}

/** Local edits in the store and later tracker edits, one of them a conflict on DEMO-2's title. */
async function editBothSides(ctx: CommandContext, demo: DemoSession): Promise<void> {
  const { store, tracker, clock } = demo;
  say(ctx, '\nEdits on both sides:');
  const edit = async (id: string, change: Parameters<typeof cloneIssue>[1], note: string) => {
    const local = await store.getIssue(ref(id));
    if (local === null) throw new Error(`demo: ${id} missing from the store after the first sync`);
    await store.upsertIssue(cloneIssue(local, { ...change, updatedAt: clock() }));
    say(ctx, `  spec-kitty: ${id} ${note}`);
  };
  await edit('DEMO-3', { status: CanonicalStatus.IN_PROGRESS }, 'status → in_progress');
  await edit(
    'DEMO-2',
    { title: 'Write the sync engine (three-way)', labels: ['engine', 'sqlite'] },
    'title changed, label sqlite added',
  );
  await edit(
    'DEMO-4',
    { body: 'Local notes on the store.', priority: 1 },
    'body changed (tracker owns it), priority → 1',
  );
  await store.upsertIssue(
    createIssue({
      ref: ref('DEMO-5'),
      title: 'Record the demo',
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
      updatedAt: clock(),
    }),
  );
  say(ctx, '  spec-kitty: DEMO-5 created "Record the demo"');
  await tracker.updateIssue(ref('DEMO-2'), {
    title: 'Write the sync engine in TypeScript',
    labels: ['engine', 'urgent'],
  });
  say(ctx, '  tracker:    DEMO-2 title changed (later than the local edit), label urgent added');
  await tracker.updateIssue(ref('DEMO-4'), {
    body: 'The SQLite store keeps issues, bases and checkpoints.',
  });
  say(ctx, '  tracker:    DEMO-4 body rewritten');
  await tracker.updateIssue(ref('DEMO-1'), { title: 'Set up CI (GitHub Actions)' });
  say(ctx, '  tracker:    DEMO-1 title changed');
}

function renderStoreTable(issues: readonly CanonicalIssue[]): string {
  return renderTable(
    ['issue', 'status', 'priority', 'labels', 'title'],
    issues.map((issue) => [
      issue.ref.id,
      issue.status,
      issue.priority ?? '',
      issue.labels.join(','),
      issue.title,
    ]),
  );
}

/** What the demo promises, each checked against the rounds' results and both sides' final state. */
function checkDemo(
  demo: DemoSession,
  { first, second, third }: { first: SyncResult; second: SyncResult; third: SyncResult },
  issues: readonly CanonicalIssue[],
  remote: CanonicalIssue,
  conflict: ConflictRecord | undefined,
): DemoChecks {
  return {
    pulledEverything: first.stats.pulledCreated === SEED.length,
    conflictResolvedByPolicy: conflict !== undefined && !conflict.manualReviewRequired,
    localEditPushed: remote.status === CanonicalStatus.IN_PROGRESS,
    localIssueCreated: second.stats.pushedCreated === 1,
    trackerOwnsBody:
      issues.find((issue) => issue.ref.id === 'DEMO-4')?.body ===
      'The SQLite store keeps issues, bases and checkpoints.',
    labelsMergedFromBothSides: ['engine', 'sqlite', 'urgent'].every((label) =>
      issues.find((issue) => issue.ref.id === 'DEMO-2')?.labels.includes(label),
    ),
    discardedEditReported: second.discarded.some(
      (change) => change.issueRef.id === 'DEMO-4' && change.fieldName === 'body',
    ),
    secondRunIsNoOp:
      third.stats.pulledCreated +
        third.stats.pulledUpdated +
        third.stats.pushedCreated +
        third.stats.pushedUpdated ===
        0 && third.conflicts.length === 0,
    noFailures: demo.rounds.every((round) => round.result.failures.length === 0),
  };
}
