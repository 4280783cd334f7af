import { existsSync } from 'node:fs';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { configPathFor, loadConfig, scopeOf, storePathOf, type TrackerConfig } from './cli-config';
import { awaitsDecision } from './command-conflicts';
import {
  type Command,
  type CommandContext,
  emitJson,
  GLOBAL_FLAGS,
  parseCommandArgs,
  say,
} from './command-context';
import { connectorSearch, defaultCredentialEnv } from './connector-loader';
import { credentialStatus } from './credentials';
import { ExitCode, UsageError } from './exit-codes';
import { renderTable } from './table';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the binding, the local store and the last runs',
  usage: 'status [options]',
  options: GLOBAL_FLAGS,
  examples: ['status', '--json status'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('status', ctx.args, GLOBAL_FLAGS);
    if (positionals.length > 0)
      throw new UsageError(`status: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const { config } = loaded;
    const scope = scopeOf(config);
    const storePath = storePathOf(loaded);
    const search = connectorSearch(loaded.projectDir, ctx.io.cwd);
    const credentials = credentialStatus(config, ctx.io.env, await defaultCredentialEnv(config, search));
    const status = {
      command: 'status',
      configPath: loaded.path,
      provider: config.provider ?? null,
      workspace: config.workspace ?? null,
      scope,
      policy: config.policy,
      strategy: config.strategy,
      credentials,
      store: { path: storePath, exists: existsSync(storePath) } as Record<string, unknown>,
    };
    if (existsSync(storePath)) Object.assign(status.store, await readStoreStatus(storePath, scope, config));
    emitJson(ctx, status);
    say(ctx, `config     ${loaded.path}`);
    say(ctx, `provider   ${config.provider ?? 'none'}${config.workspace ? ` (${config.workspace})` : ''}`);
    say(ctx, `policy     ${config.policy.mode}, strategy ${config.strategy}`);
    for (const credential of credentials) {
      say(
        ctx,
        `credential ${credential.key} from $${credential.variable} (${credential.present ? 'set' : 'NOT set'})`,
      );
    }
    reportStore(ctx, config, status.store as StoreStatus);
    return ExitCode.OK;
  },
};

/**
 * The `store` part of the status document, as `reportStore` reads it. A type literal, not an
 * interface, so the document's `Record<string, unknown>` casts to it.
 */
type StoreStatus = {
  path: string;
  exists: boolean;
  issues?: number;
  issuesOfProvider?: number;
  mappings?: number;
  openConflicts?: number;
  conflictsNeedingReview?: number;
  tombstones?: { remote: number; localPending: number; localPushed: number };
  checkpoint?: { updatedSince: string | null } | null;
  lock?: { command: string; pid: number } | null;
  runs?: { id: number; command: string; startedAt: Date; outcome: string | null; summary: unknown }[];
};

/** Counts, checkpoint, lock and recent runs of an existing store (opened read-only for this). */
async function readStoreStatus(
  storePath: string,
  scope: string,
  config: TrackerConfig,
): Promise<Record<string, unknown>> {
  const store = SqliteIssueStore.open(storePath);
  try {
    const checkpoint = await store.getCheckpoint(scope);
    const tombstones = await store.listTombstones();
    return {
      schemaVersion: store.schemaVersion,
      issues: await store.countIssues(),
      issuesOfProvider: config.provider ? await store.countIssues({ system: config.provider }) : 0,
      mappings: (await store.listMappings()).length,
      openConflicts: (await store.listConflicts()).length,
      conflictsNeedingReview: (await store.listConflicts({ manualReviewOnly: true })).filter(awaitsDecision)
        .length,
      tombstones: {
        remote: tombstones.filter((record) => record.origin === 'remote').length,
        localPending: tombstones.filter((record) => record.origin === 'local' && !record.pushed).length,
        localPushed: tombstones.filter((record) => record.origin === 'local' && record.pushed).length,
      },
      checkpoint: checkpoint
        ? { cursor: checkpoint.cursor, updatedSince: checkpoint.updatedSince?.toISOString() ?? null }
        : null,
      lock: store.readRunLock(),
      runs: await store.listRuns({ limit: 5, scope }),
    };
  } finally {
    store.close();
  }
}

function reportStore(ctx: CommandContext, config: TrackerConfig, store: StoreStatus): void {
  if (!store.exists) {
    say(ctx, `store      ${store.path} (not created yet: run \`spec-kitty-tracker pull\`)`);
    return;
  }
  say(ctx, `store      ${store.path}`);
  say(
    ctx,
    `issues     ${store.issues} (${store.issuesOfProvider} from ${config.provider ?? 'the provider'})`,
  );
  say(ctx, `mappings   ${store.mappings}`);
  say(ctx, `conflicts  ${store.openConflicts} open, ${store.conflictsNeedingReview} needing review`);
  if (store.tombstones) {
    const { remote, localPending, localPushed } = store.tombstones;
    say(
      ctx,
      `gone       ${remote} gone from the tracker, ${localPending} deleted locally awaiting push, ${localPushed} deleted locally and closed on the tracker`,
    );
  }
  say(ctx, `watermark  ${store.checkpoint?.updatedSince ?? 'none (next pull reads everything)'}`);
  if (store.lock) say(ctx, `lock       held by \`${store.lock.command}\` (pid ${store.lock.pid})`);
  if (store.runs && store.runs.length > 0) {
    say(ctx, '\nRecent runs:');
    say(
      ctx,
      renderTable(
        ['id', 'command', 'started', 'outcome'],
        store.runs.map((run) => [
          run.id,
          run.command,
          run.startedAt.toISOString(),
          run.outcome ?? 'running/crashed',
        ]),
      ),
    );
  }
}
