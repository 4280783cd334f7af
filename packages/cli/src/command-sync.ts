import {
  createCheckpoint,
  type PlanOptions,
  SyncEngine,
  type SyncProgressEvent,
  type SyncResult,
  type SyncRunOptions,
  type TrackerConnector,
} from '@spec-kitty/core';
import type { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import {
  configPathFor,
  type LoadedConfig,
  loadConfig,
  openProjectStore,
  policyOf,
  scopeOf,
  type TrackerConfig,
} from './cli-config';
import {
  type Command,
  type CommandContext,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  PROGRESS_FLAG,
  parseCommandArgs,
  parseNonNegativeInt,
  parsePositiveInt,
  say,
  warn,
} from './command-context';
import {
  type ConnectorSearch,
  connectorSearch,
  createBoundConnector,
  runPreflights,
} from './connector-loader';
import { ExitCode, outcomeFor, UsageError } from './exit-codes';
import { withLocalDrafts } from './local-drafts';
import { createProgressReporter, type ProgressReporter } from './progress-bar';
import { credentialFailures, exitCodeForResult, nothingDone } from './result-exit-code';
import { acquireRunLockInterruptibly } from './run-lock-wait';
import { rateLimitOf, reportDiscarded, reportRateLimit } from './run-warnings';
import { describeCause, renderResult, renderWrites, resultToJSON, writeToJSON } from './sync-report';

type Operation = 'pull' | 'push' | 'sync' | 'plan';

const BASE_RUN_OPTIONS = {
  ...GLOBAL_FLAGS,
  ...PROGRESS_FLAG,
  limit: {
    type: 'string',
    placeholder: 'N',
    description: 'page size of tracker listings',
    values: 'a whole number >= 1',
    default: "the config's pageSize (100)",
  },
  credential: {
    type: 'string',
    multiple: true,
    placeholder: 'key=value',
    description: 'a secret connector setting for this run only (never stored)',
    default: 'read from the environment variables named in credentialEnv',
  },
  wait: {
    type: 'string',
    placeholder: 'SECONDS',
    description: "wait this long for another run's lock on the store instead of failing",
    values: 'a whole number >= 0',
    default: '0 (fail at once)',
  },
} as const satisfies FlagSpecs;

/** `--full`, for the operations that pull. */
const FULL_FLAG = {
  full: {
    type: 'boolean',
    description:
      're-read every issue, ignoring the watermark, and ask the tracker about stored issues it no longer lists (deleted, archived, moved)',
    default: 'incremental from the watermark (the first pull is full)',
  },
} as const satisfies FlagSpecs;

const PULL_OPTIONS = { ...BASE_RUN_OPTIONS, ...FULL_FLAG } as const satisfies FlagSpecs;

const SYNC_OPTIONS = {
  ...PULL_OPTIONS,
  'no-pull': { type: 'boolean', description: 'push only, without pulling first', default: 'pull, then push' },
} as const satisfies FlagSpecs;

const PLAN_OPTIONS = {
  ...PULL_OPTIONS,
  'push-only': {
    type: 'boolean',
    description: 'plan a push instead of a full sync',
    default: 'plan a sync (pull, then push)',
  },
} as const satisfies FlagSpecs;

const RUN_OPTIONS = { ...SYNC_OPTIONS, ...PLAN_OPTIONS } as const satisfies FlagSpecs;

const OPTIONS_OF: Record<Operation, FlagSpecs> = {
  pull: PULL_OPTIONS,
  push: BASE_RUN_OPTIONS,
  sync: SYNC_OPTIONS,
  plan: PLAN_OPTIONS,
};

/** The store's run lock and journal row of the run in progress; released / closed in `finally`. */
interface RunHandles {
  lock: { release(): void } | null;
  runId: number | null;
}

/** Runs one engine operation for the bound provider against the project's SQLite store. */
async function runOperation(operation: Operation, ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    operation,
    ctx.args,
    OPTIONS_OF[operation] as typeof RUN_OPTIONS,
  );
  if (positionals.length > 0) {
    return usage(operation, `unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  if (values.full && (values['no-pull'] || values['push-only']))
    return usage(
      operation,
      `--full re-reads the tracker, --${values['no-pull'] ? 'no-pull' : 'push-only'} skips reading it; give one of them`,
    );
  const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
  const { config } = loaded;
  const limit = parsePositiveInt(values.limit, '--limit') ?? config.pageSize;
  const waitSeconds = parseNonNegativeInt(values.wait, '--wait') ?? 0;
  const search = connectorSearch(loaded.projectDir, ctx.io.cwd);
  if (operation !== 'plan') await runConnectorPreflights(ctx, loaded, operation, search);
  const connector = await createBoundConnector(config, values.credential ?? [], ctx.io.env, search);
  const scope = scopeOf(config);
  const store = await openStoreOrCloseConnector(loaded, connector);
  const progress = createProgressReporter(ctx.io.stderr, {
    enabled: ctx.progress && !values['no-progress'] && !ctx.json && !ctx.quiet,
    label: operation,
  });
  const onProgress = (event: SyncProgressEvent) => progress.onEvent(event);
  const controller = new AbortController();
  const stopSignals = listenForStopSignals(controller);
  const engine = createEngine(config, connector, store, scope);
  // From scratch for this run only: the stored watermark is replaced when the full pull saves its own.
  if (values.full) engine.restoreCheckpoint(createCheckpoint());
  const handles: RunHandles = { lock: null, runId: null };
  try {
    // Decisions taken with `conflicts resolve`: this run writes them to both sides.
    const resolutions = await store.listPendingResolutions({ system: connector.name });
    const runOptions: SyncRunOptions = { limit, signal: controller.signal, onProgress, resolutions };
    if (operation === 'plan') {
      return await runPlan(ctx, engine, progress, scope, {
        ...runOptions,
        operation: values['push-only'] ? 'push' : 'sync',
      });
    }
    handles.lock = await acquireRunLockInterruptibly(store, operation, waitSeconds * 1000, controller.signal);
    handles.runId = await store.beginRun(operation, scope);
    const result: SyncResult =
      operation === 'pull'
        ? await engine.pull(runOptions)
        : operation === 'push'
          ? await engine.push(runOptions)
          : await engine.sync({ ...runOptions, pullFirst: !values['no-pull'] });
    const needsReview = result.conflicts.some((conflict) => conflict.manualReviewRequired);
    // Strict manual review: review conflicts win over partial failures.
    const code = config.strictManualReview && needsReview ? ExitCode.CONFLICTS : exitCodeForResult(result);
    progress.finish();
    await recordRun(store, handles.runId, result, code);
    handles.runId = null;
    reportRun(ctx, operation, scope, config, connector.name, result, code, progress.counts.issues);
    return code;
  } catch (error) {
    progress.finish(false);
    if (controller.signal.aborted)
      return await reportInterruption(ctx, operation, store, handles, stopSignals.stoppedBy());
    throw error;
  } finally {
    stopSignals.dispose();
    if (handles.runId !== null) await store.finishRun(handles.runId, 'error').catch(() => undefined);
    handles.lock?.release();
    store.close();
    await connector.close?.();
  }
}

/** Every installed connector's `cli.preflight` hook: a refusal throws, warnings are printed. */
async function runConnectorPreflights(
  ctx: CommandContext,
  loaded: LoadedConfig,
  operation: 'pull' | 'push' | 'sync',
  search: ConnectorSearch,
): Promise<void> {
  if (loaded.config.provider === undefined) return;
  const context = {
    projectDir: loaded.projectDir,
    provider: loaded.config.provider,
    operation,
    env: ctx.io.env,
  };
  for (const warning of await runPreflights(context, search)) warn(ctx, warning);
}

async function openStoreOrCloseConnector(
  loaded: LoadedConfig,
  connector: TrackerConnector,
): Promise<SqliteIssueStore> {
  try {
    return openProjectStore(loaded);
  } catch (error) {
    await connector.close?.();
    throw error;
  }
}

/**
 * SIGINT (Ctrl-C) and SIGTERM (kill, service managers, CI timeouts) both stop the run cleanly:
 * abort, journal the run as interrupted, release the lock, exit 128 + signal number.
 */
function listenForStopSignals(controller: AbortController): {
  stoppedBy(): NodeJS.Signals | null;
  dispose(): void;
} {
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    controller.abort(new Error(`interrupted (${signal})`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    stoppedBy: () => stoppedBy,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

export function createEngine(
  config: TrackerConfig,
  connector: TrackerConnector,
  store: SqliteIssueStore,
  scope: string,
): SyncEngine {
  return new SyncEngine({
    connector: withLocalDrafts(connector, async (ref) => (await store.getSyncBase(ref)) !== null),
    store,
    policy: policyOf(config),
    strategy: config.strategy,
    // Strict manual review is applied by `runOperation` from the full result: the engine's throw
    // would lose the run's discarded changes and applied resolutions.
    strictManualReview: false,
    maxRetryAttempts: config.maxRetryAttempts,
    checkpointScope: scope,
  });
}

/** `plan`: asks the engine for the writes a run would make; takes no lock and changes nothing. */
async function runPlan(
  ctx: CommandContext,
  engine: SyncEngine,
  progress: ProgressReporter,
  scope: string,
  options: PlanOptions,
): Promise<ExitCode> {
  const plan = await engine.plan(options);
  progress.finish();
  const code = exitCodeForResult(plan.result);
  emitJson(ctx, {
    command: 'plan',
    scope,
    writes: plan.writes.map(writeToJSON),
    ...resultToJSON(plan.result, progress.counts.issues),
    exitCode: code,
  });
  say(ctx, `plan ${scope}: ${plan.writes.length} write(s) would be made (nothing was changed)`);
  if (plan.writes.length > 0) say(ctx, renderWrites(plan.writes));
  say(ctx, renderResult(plan.result, progress.counts.issues));
  return code;
}

/** Journals the finished run: its conflicts, the resolutions it applied, its outcome and stats. */
async function recordRun(
  store: SqliteIssueStore,
  runId: number,
  result: SyncResult,
  code: ExitCode,
): Promise<void> {
  await store.recordConflicts(runId, result.conflicts);
  if (result.appliedResolutions.length > 0) await store.markResolutionsApplied(result.appliedResolutions);
  await store.finishRun(runId, outcomeFor(code), {
    stats: { ...result.stats },
    failures: result.failures.length,
  });
}

/** The run's JSON document, its summary table and the hints its failures call for. */
function reportRun(
  ctx: CommandContext,
  operation: Operation,
  scope: string,
  config: TrackerConfig,
  connectorName: string,
  result: SyncResult,
  code: ExitCode,
  issuesRead: number,
): void {
  emitJson(ctx, {
    command: operation,
    scope,
    ...resultToJSON(result, issuesRead),
    exitCode: code,
  });
  say(ctx, `${operation} ${scope} (policy ${config.policy.mode}, strategy ${config.strategy})`);
  say(ctx, renderResult(result, issuesRead));
  const refused = credentialFailures(result);
  if (refused.length > 0) {
    ctx.io.stderr.write(
      `${operation}: the tracker refused the credentials (${refused[0]!.failureClass}): ${refused[0]!.message}. Check the token's value and scopes (see \`spec-kitty-tracker status\`).\n`,
    );
  } else if (rateLimitOf(result.failures) === undefined && nothingDone(result)) {
    ctx.io.stderr.write(
      `${operation}: nothing could be read or written: ${describeCause(result.failures)}\n`,
    );
  }
  reportDiscarded(ctx, result.discarded);
  reportRateLimit(ctx, operation, config.provider ?? connectorName, result.failures);
  if (result.appliedResolutions.length > 0)
    say(ctx, `\nApplied ${result.appliedResolutions.length} conflict resolution(s) to both sides.`);
  if (code === ExitCode.CONFLICTS) {
    const pending = result.conflicts.filter((conflict) => conflict.pending).length;
    say(
      ctx,
      `\nConflicts need manual review: see \`spec-kitty-tracker conflicts\`${pending > 0 ? `. ${pending} field(s) are written to neither side until you decide: \`spec-kitty-tracker conflicts resolve <id> --take local|tracker\`` : ''}.`,
    );
  } else if (code === ExitCode.PARTIAL_FAILURE) {
    say(ctx, '\nSome issues failed; everything else was saved. Re-run to retry them.');
  }
}

/** An aborted run: says what was kept, journals the run as interrupted, exits 128 + signal. */
async function reportInterruption(
  ctx: CommandContext,
  operation: Operation,
  store: SqliteIssueStore,
  handles: RunHandles,
  stoppedBy: NodeJS.Signals | null,
): Promise<ExitCode> {
  ctx.io.stderr.write(
    `${operation} interrupted${stoppedBy ? ` by ${stoppedBy}` : ''}: everything written before the interruption is saved in ${store.path}; run it again to continue.\n`,
  );
  if (handles.runId !== null) await store.finishRun(handles.runId, 'interrupted');
  handles.runId = null;
  return stoppedBy === 'SIGTERM' ? ExitCode.TERMINATED : ExitCode.INTERRUPTED;
}

function usage(operation: string, message: string): never {
  throw new UsageError(`${operation}: ${message}. See \`spec-kitty-tracker help ${operation}\`.`);
}

export const pullCommand: Command = {
  name: 'pull',
  summary: 'Pull issues from the tracker into the local store',
  usage: 'pull [options]',
  options: PULL_OPTIONS,
  examples: ['pull', 'pull --limit 50 --wait 60', 'pull --full', '--json pull > pull.json'],
  run: (ctx) => runOperation('pull', ctx),
};

export const pushCommand: Command = {
  name: 'push',
  summary: 'Push local changes to the tracker',
  usage: 'push [options]',
  options: BASE_RUN_OPTIONS,
  examples: ['push', 'push --credential token=$GITHUB_TOKEN'],
  run: (ctx) => runOperation('push', ctx),
};

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Pull, then push (two-way sync)',
  usage: 'sync [options]',
  options: SYNC_OPTIONS,
  examples: ['sync', 'sync --no-pull', 'sync --full', '--json sync > sync.json'],
  run: (ctx) => runOperation('sync', ctx),
};

export const planCommand: Command = {
  name: 'plan',
  summary: 'Dry run: show the writes a sync would make, change nothing',
  usage: 'plan [options]',
  options: PLAN_OPTIONS,
  examples: ['plan', 'plan --push-only --json'],
  run: (ctx) => runOperation('plan', ctx),
};
