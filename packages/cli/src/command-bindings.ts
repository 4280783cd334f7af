import { type JsonValue, OwnershipMode, OwnershipPolicy } from '@spec-kitty/core';
import type { Binding, SyncWorker } from '@spec-kitty/worker';
import { parsePolicyMode } from './cli-config';
import {
  type Command,
  type CommandContext,
  emitJson,
  GLOBAL_FLAGS,
  parseCommandArgs,
  parsePositiveInt,
  say,
} from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { postgresStoreUrl } from './postgres-store-url';
import { renderTable } from './table';

const STORE_FLAGS = {
  ...GLOBAL_FLAGS,
  store: {
    type: 'string',
    placeholder: 'URL',
    description: 'the PostgreSQL store holding the bindings',
    default: 'SPEC_KITTY_STORE, else the config\'s "store" when it is a postgres:// URL',
  },
  schema: {
    type: 'string',
    placeholder: 'NAME',
    description: 'schema of the store and bindings',
    default: 'spec_kitty',
  },
} as const;

const ADD_FLAGS = {
  ...STORE_FLAGS,
  provider: { type: 'string', placeholder: 'ID', description: 'connector id (github, jira, linear, …)' },
  set: {
    type: 'string',
    multiple: true,
    placeholder: 'key=value',
    description: 'a non-secret connector setting (JSON values parse, e.g. numbers)',
    values: "the connector's settings, e.g. owner, repo, baseUrl",
  },
  credential: {
    type: 'string',
    placeholder: 'NAME',
    description: 'name of the credential workers resolve (SPEC_KITTY_CREDENTIAL_<NAME>)',
  },
  policy: {
    type: 'string',
    values: 'external|local|split',
    description: 'ownership policy',
    default: 'external',
  },
  every: {
    type: 'string',
    placeholder: 'DURATION',
    values: 'seconds, or 30s, 15m, 2h, 1d',
    description: 'how often the binding syncs',
    default: '15m',
  },
  limit: {
    type: 'string',
    placeholder: 'N',
    values: 'integer >= 1',
    description: 'page size',
    default: '100',
  },
  operation: { type: 'string', values: 'sync|pull|push', description: 'what each run does', default: 'sync' },
  replace: { type: 'boolean', description: 'update the binding if it exists (its health is kept)' },
} as const;

const LIST_FLAGS = {
  ...STORE_FLAGS,
  status: { type: 'string', values: 'active|dead_letter', description: 'only bindings with this status' },
  provider: { type: 'string', placeholder: 'ID', description: 'only bindings of this provider' },
} as const;

const REMOVE_FLAGS = {
  ...STORE_FLAGS,
  purge: { type: 'boolean', description: "also delete the binding's synced issues, checkpoints and run log" },
} as const;

/** `900`, `30s`, `15m`, `2h`, `1d` → seconds. */
export function parseEvery(text: string): number {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(text);
  const factor = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[(match?.[2] ?? '').toLowerCase()];
  const seconds = match && factor !== undefined ? Number(match[1]) * factor : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new UsageError(
      `--every must be a duration such as 300, 30s, 15m, 2h or 1d, got ${JSON.stringify(text)}.`,
    );
  }
  return seconds;
}

function parseConfigPairs(pairs: readonly string[]): Record<string, JsonValue> {
  const config: Record<string, JsonValue> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--set takes key=value, got ${JSON.stringify(pair)}.`);
    const raw = pair.slice(at + 1);
    let value: JsonValue = raw;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch {
      // A plain string.
    }
    config[pair.slice(0, at)] = value;
  }
  return config;
}

function policyFor(mode: OwnershipMode): OwnershipPolicy {
  if (mode === OwnershipMode.SPEC_KITTY_AUTHORITATIVE) return OwnershipPolicy.localAuthoritative();
  if (mode === OwnershipMode.SPLIT_OWNERSHIP)
    return OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: 'shared' });
  return OwnershipPolicy.externalAuthoritative();
}

/** A worker handle that takes no jobs: registers, lists and enqueues. */
async function openAdmin(
  ctx: CommandContext,
  command: string,
  store: string | undefined,
  schema: string | undefined,
  config: string | undefined,
): Promise<SyncWorker> {
  const url = postgresStoreUrl(command, ctx.io, store, config ?? ctx.configFlag);
  const { SyncWorker } = await import('@spec-kitty/worker');
  return SyncWorker.start({ connectionString: url, schema, work: false, poolSize: 2 });
}

function bindingJson(binding: Binding) {
  return {
    id: binding.id,
    provider: binding.provider,
    config: binding.config,
    credentialRef: binding.credentialRef,
    policy: binding.policy.mode,
    intervalSeconds: binding.intervalSeconds,
    status: binding.status,
    enabled: binding.enabled,
    nextRunAt: binding.nextRunAt.toISOString(),
    lastSuccessAt: binding.lastSuccessAt?.toISOString() ?? null,
    consecutiveFailures: binding.consecutiveFailures,
    lastError: binding.lastError,
  };
}

function onePositional(command: string, positionals: readonly string[], what: string): string {
  if (positionals.length !== 1 || positionals[0]!.trim() === '') {
    throw new UsageError(`${command} takes exactly one ${what}, got ${positionals.length}.`);
  }
  return positionals[0]!;
}

const addSubcommand: Command = {
  name: 'add',
  summary: 'Register a binding (a tracker scope the worker fleet keeps in sync)',
  usage: 'bindings add ID --provider ID [options]',
  options: ADD_FLAGS,
  examples: [
    'bindings add team-42/hello --provider github --set owner=octo --set repo=hello --credential github-team-42 --every 5m',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('bindings add', ctx.args, ADD_FLAGS);
    const id = onePositional('bindings add', positionals, 'binding id');
    if (values.provider === undefined)
      throw new UsageError('bindings add needs --provider (github, jira, linear, …).');
    const operation = values.operation ?? 'sync';
    if (operation !== 'sync' && operation !== 'pull' && operation !== 'push') {
      throw new UsageError(`--operation must be sync, pull or push, got ${JSON.stringify(operation)}.`);
    }
    const init = {
      id,
      provider: values.provider,
      config: parseConfigPairs(values.set ?? []),
      credentialRef: values.credential ?? null,
      policy: policyFor(parsePolicyMode(values.policy ?? 'external')),
      intervalSeconds: parseEvery(values.every ?? '15m'),
      syncOptions: { limit: parsePositiveInt(values.limit, '--limit') ?? 100, operation },
    } as const;
    const worker = await openAdmin(ctx, 'bindings add', values.store, values.schema, values.config);
    try {
      const binding = await worker.bindings.add(init, { replace: values.replace ?? false });
      emitJson(ctx, { command: 'bindings add', binding: bindingJson(binding) });
      say(
        ctx,
        `Added binding ${binding.id} (${binding.provider}, every ${binding.intervalSeconds} s); a worker runs it now.`,
      );
      return ExitCode.OK;
    } finally {
      await worker.stop();
    }
  },
};

const listSubcommand: Command = {
  name: 'list',
  summary: 'List bindings with their health',
  usage: 'bindings list [options]',
  options: LIST_FLAGS,
  examples: ['bindings list', 'bindings list --status dead_letter --json'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('bindings list', ctx.args, LIST_FLAGS);
    if (positionals.length > 0)
      throw new UsageError(`bindings list: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const status = values.status;
    if (status !== undefined && status !== 'active' && status !== 'dead_letter') {
      throw new UsageError(`--status must be active or dead_letter, got ${JSON.stringify(status)}.`);
    }
    const worker = await openAdmin(ctx, 'bindings list', values.store, values.schema, values.config);
    try {
      const bindings = await worker.bindings.list({ status, provider: values.provider });
      emitJson(ctx, { command: 'bindings list', bindings: bindings.map(bindingJson) });
      if (bindings.length === 0) say(ctx, 'No bindings.');
      else {
        say(
          ctx,
          renderTable(
            ['id', 'provider', 'every', 'status', 'last success', 'failures', 'last error'],
            bindings.map((binding) => [
              binding.id,
              binding.provider,
              `${binding.intervalSeconds} s`,
              binding.status,
              binding.lastSuccessAt?.toISOString() ?? '-',
              String(binding.consecutiveFailures),
              binding.lastError ?? '',
            ]),
          ),
        );
      }
      return ExitCode.OK;
    } finally {
      await worker.stop();
    }
  },
};

const removeSubcommand: Command = {
  name: 'remove',
  summary: 'Remove a binding (with --purge, also its synced data)',
  usage: 'bindings remove ID [options]',
  options: REMOVE_FLAGS,
  examples: ['bindings remove team-42/hello', 'bindings remove team-42/hello --purge'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('bindings remove', ctx.args, REMOVE_FLAGS);
    const id = onePositional('bindings remove', positionals, 'binding id');
    const worker = await openAdmin(ctx, 'bindings remove', values.store, values.schema, values.config);
    try {
      const removed = await worker.bindings.remove(id);
      if (!removed) throw new UsageError(`No binding with id ${id}; list them with \`bindings list\`.`);
      if (values.purge) await worker.store.deleteScope(id);
      emitJson(ctx, { command: 'bindings remove', id, purged: values.purge ?? false });
      say(ctx, `Removed binding ${id}${values.purge ? ' and its synced data' : ''}.`);
      return ExitCode.OK;
    } finally {
      await worker.stop();
    }
  },
};

const syncSubcommand: Command = {
  name: 'sync',
  summary: 'Run a binding now (re-activating it when dead-lettered)',
  usage: 'bindings sync ID [options]',
  options: STORE_FLAGS,
  examples: ['bindings sync team-42/hello'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('bindings sync', ctx.args, STORE_FLAGS);
    const id = onePositional('bindings sync', positionals, 'binding id');
    const worker = await openAdmin(ctx, 'bindings sync', values.store, values.schema, values.config);
    try {
      const binding = await worker.bindings.require(id).catch((error: unknown) => {
        throw new UsageError((error as Error).message);
      });
      if (binding.status === 'dead_letter') await worker.bindings.reset(id);
      await worker.syncNow(id);
      emitJson(ctx, { command: 'bindings sync', id, reactivated: binding.status === 'dead_letter' });
      say(ctx, `Queued a run of ${id}${binding.status === 'dead_letter' ? ' (re-activated)' : ''}.`);
      return ExitCode.OK;
    } finally {
      await worker.stop();
    }
  },
};

export const bindingsCommand: Command = {
  name: 'bindings',
  summary: 'Manage the bindings a worker fleet syncs (PostgreSQL store)',
  usage: 'bindings add|list|remove|sync [options]',
  options: LIST_FLAGS,
  examples: ['bindings list --store postgres://localhost/tracker'],
  subcommands: [addSubcommand, listSubcommand, removeSubcommand, syncSubcommand],
  run: listSubcommand.run,
};
