import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { createConnector, drainWebhookInbox, type SyncEngine, type TrackerConnector } from '@spec-kitty/core';
import type { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { configPathFor, type LoadedConfig, loadConfig, scopeOf, storePathOf } from './cli-config';
import {
  type Command,
  type CommandContext,
  type FlagSpecs,
  GLOBAL_FLAGS,
  parseCommandArgs,
  parseNonNegativeInt,
  parsePositiveInt,
} from './command-context';
import { createEngine } from './command-sync';
import { connectorConfigFor, connectorSearch, loadConnectorDefinition } from './connector-loader';
import { ExitCode, UsageError } from './exit-codes';
import { acquireRunLockInterruptibly } from './run-lock-wait';
import {
  type BindingRequest,
  checkKnownBinding,
  defaultBindingName,
  parseBindingFlag,
  type ServedBinding,
  servedBinding,
  WEBHOOK_SECRET_ENV_PREFIX,
} from './serve-bindings';
import { createWebhookServer } from './serve-http';
import { createServeLog, type ServeLog } from './serve-log';
import {
  checkPostgresFlags,
  postgresServeRequested,
  postgresServeUrl,
  servePostgres,
} from './serve-postgres';
import { InboxProcessor } from './serve-processor';
import { closeServer, listen, startPruning, stopSignal, storeOpener } from './serve-runtime';

/** Defaults of `serve`, also shown by `--help`. */
export const SERVE_DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  safetyIntervalSeconds: 900,
  maxBodyBytes: 1024 * 1024,
  /** How often the processor looks at the inbox unprompted (deliveries due for a retry). */
  pollIntervalMs: 5_000,
  /** How long a job waits for another run's lock on the store before trying again later. */
  lockWaitMs: 30_000,
  /**
   * How long a processed delivery's de-duplication marker is kept: longer than vendors redeliver
   * (GitHub's manual redelivery reaches back 3 days), so a late copy is still known.
   */
  keepDoneMs: 7 * 24 * 60 * 60_000,
  /** How often processed deliveries older than `keepDoneMs` are pruned. */
  pruneIntervalMs: 60 * 60_000,
} as const;

const SERVE_FLAGS = {
  config: GLOBAL_FLAGS.config,
  binding: {
    type: 'string',
    multiple: true,
    placeholder: 'NAME[=CONFIG]',
    description:
      "a binding to serve at POST /webhooks/NAME: the project's binding (NAME is its provider id), or NAME=CONFIG for another project's tracker.json; with a PostgreSQL store, a worker binding id (required)",
    default: "the project's binding, under its provider id",
  },
  port: {
    type: 'string',
    placeholder: 'N',
    values: '0-65535 (0: any free port, logged)',
    description: 'TCP port to listen on',
    default: String(SERVE_DEFAULTS.port),
  },
  host: {
    type: 'string',
    placeholder: 'ADDRESS',
    description: 'address to listen on (put a TLS-terminating proxy in front for the vendor)',
    default: SERVE_DEFAULTS.host,
  },
  'safety-interval': {
    type: 'string',
    placeholder: 'SECONDS',
    values: 'a whole number >= 0 (0: off)',
    description: 'run an incremental sync this often, catching changes whose delivery was lost',
    default: String(SERVE_DEFAULTS.safetyIntervalSeconds),
  },
  'max-body': {
    type: 'string',
    placeholder: 'BYTES',
    values: 'a whole number >= 1',
    description: 'largest delivery accepted; a larger one is answered 413 unread',
    default: `${SERVE_DEFAULTS.maxBodyBytes} (1 MiB)`,
  },
  'accept-only': {
    type: 'boolean',
    description:
      'verify and queue deliveries, never process them (another serve, or this one restarted without it, does); needs no tracker credentials',
    default: 'accept and process',
  },
  credential: {
    type: 'string',
    multiple: true,
    placeholder: 'key=value',
    description: 'a secret connector setting for this process only (never stored)',
    default: 'read from the environment variables named in credentialEnv',
  },
  store: {
    type: 'string',
    placeholder: 'URL',
    description:
      'a PostgreSQL store: accept deliveries of its worker bindings (--binding ID) and queue them for `worker` processes, which process them; serve does not',
    default:
      'SPEC_KITTY_STORE, else the config\'s "store" when it is a postgres:// URL; otherwise the project\'s SQLite store',
  },
  schema: {
    type: 'string',
    placeholder: 'NAME',
    description: 'schema of the PostgreSQL store and bindings',
    default: 'spec_kitty',
  },
} as const satisfies FlagSpecs;

/** A binding ready to serve: its endpoint, its store's inbox, and (unless accept-only) its processor. */
interface BindingRuntime {
  readonly served: ServedBinding;
  readonly loaded: LoadedConfig;
  readonly store: SqliteIssueStore;
  readonly connector: TrackerConnector | null;
  processor: InboxProcessor | null;
}

function parsePort(value: string | undefined): number {
  const port = parseNonNegativeInt(value, '--port') ?? SERVE_DEFAULTS.port;
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}.`);
  return port;
}

/** The configs named by `--binding`, each under its name (the project's binding without flags). */
function requestedBindings(ctx: CommandContext, flags: readonly string[], configFlag: string | undefined) {
  let project: LoadedConfig | null = null;
  const projectConfig = () => {
    project ??= loadConfig(configPathFor(ctx.io.cwd, configFlag));
    return project;
  };
  const requests: BindingRequest[] =
    flags.length === 0
      ? [{ name: defaultBindingName(projectConfig()), configPath: undefined }]
      : flags.map(parseBindingFlag);
  const seen = new Set<string>();
  return requests.map((request) => {
    if (seen.has(request.name))
      throw new UsageError(`serve: --binding ${request.name} is given twice; each name is one URL.`);
    seen.add(request.name);
    const loaded =
      request.configPath === undefined
        ? projectConfig()
        : loadConfig(resolve(ctx.io.cwd, request.configPath));
    if (request.configPath === undefined) checkKnownBinding(request, loaded);
    else defaultBindingName(loaded);
    return { name: request.name, loaded };
  });
}

/** The processor of one binding: drains its inbox with core's `drainWebhookInbox` under the store's run lock. */
function processorFor(
  runtime: BindingRuntime,
  engine: SyncEngine,
  log: ServeLog,
  safetyIntervalMs: number,
): InboxProcessor {
  const { served, store, loaded } = runtime;
  const locked = async <T>(job: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    const lock = await acquireRunLockInterruptibly(store, `serve ${job}`, SERVE_DEFAULTS.lockWaitMs, signal);
    try {
      return await run();
    } finally {
      lock.release();
    }
  };
  return new InboxProcessor({
    binding: served.name,
    log,
    safetyIntervalMs,
    pollIntervalMs: SERVE_DEFAULTS.pollIntervalMs,
    drain: (gap, signal) =>
      locked('drain', signal, () => drainWebhookInbox(engine, store, { binding: served.name, gap, signal })),
    sync: (signal) =>
      locked('sync', signal, () => engine.sync({ signal, limit: loaded.config.pageSize, pullFirst: true })),
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Receive tracker webhooks and sync each changed issue as it arrives (until SIGTERM)',
  usage: 'serve [--binding NAME[=CONFIG]]... [options]',
  options: SERVE_FLAGS,
  notes: [
    'Environment:',
    `  ${WEBHOOK_SECRET_ENV_PREFIX}<NAME>  the webhook secret of binding NAME (upper case, other characters as _),`,
    '      e.g. SPEC_KITTY_WEBHOOK_SECRET_GITHUB; required: unsigned deliveries are never accepted.',
    '  The tracker credentials as for `sync` (credentialEnv); not needed with --accept-only.',
    'Routes:',
    '  POST /webhooks/NAME  202 queued (durably, before the answer) | 200 duplicate or ignored | 401 bad or',
    '                       missing signature | 400 malformed | 404 unknown binding | 405 not POST | 413 too large',
    '                       | 503 the store could not commit (the vendor retries)',
    '  GET  /healthz        JSON: status, per binding the inbox counts, last processing, last sync, last error, restart gap',
    'Logs: one JSON object per line on stdout (never a secret). SIGTERM or Ctrl-C: stop accepting, finish',
    'the requests and the work in flight (20 s grace; a second signal: at once), exit 0. See docs/guides/live-sync.md.',
    'With a PostgreSQL store (--store, SPEC_KITTY_STORE or the config\'s "store"): each --binding ID names a',
    '  worker binding (`bindings list`); a delivery is verified, stored in its inbox and queued as a webhook job',
    '  before the 202, and `spec-kitty-tracker worker` processes run it. serve processes nothing there, so it',
    "  needs no tracker credentials; /healthz reports each binding's inbox. The secret variable is",
    '  SPEC_KITTY_WEBHOOK_SECRET_<ID>, e.g. SPEC_KITTY_WEBHOOK_SECRET_TEAM_42_HELLO for team-42/hello.',
  ],
  examples: [
    'serve --port 8787   # with SPEC_KITTY_WEBHOOK_SECRET_GITHUB and GITHUB_TOKEN set',
    'serve --binding github --binding docs=../docs/.spec-kitty/tracker.json --safety-interval 600',
    'serve --accept-only --port 8787   # queue only; a later `serve` processes the queue',
    'serve --store postgres://tracker@db/tracker --binding team-42/hello   # queue for `worker` processes',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('serve', ctx.args, SERVE_FLAGS);
    if (positionals.length > 0)
      throw new UsageError(`serve: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const port = parsePort(values.port);
    const host = values.host ?? SERVE_DEFAULTS.host;
    const safetyIntervalMs =
      1000 *
      (parseNonNegativeInt(values['safety-interval'], '--safety-interval') ??
        SERVE_DEFAULTS.safetyIntervalSeconds);
    const maxBodyBytes = parsePositiveInt(values['max-body'], '--max-body') ?? SERVE_DEFAULTS.maxBodyBytes;
    const acceptOnly = values['accept-only'] === true;
    const configFlag = values.config ?? ctx.configFlag;
    if (postgresServeRequested(ctx, values.store, configFlag)) {
      checkPostgresFlags(values);
      return servePostgres(ctx, {
        url: postgresServeUrl(ctx, values.store, configFlag),
        schema: values.schema,
        bindingIds: values.binding ?? [],
        port,
        host,
        maxBodyBytes,
      });
    }
    if (values.schema !== undefined)
      throw new UsageError('serve: --schema applies to a PostgreSQL store only (--store postgres://…).');

    const secrets = new Set<string>();
    const log = createServeLog(ctx.io.stdout, () => secrets);
    const stores = storeOpener();
    const runtimes: BindingRuntime[] = [];
    const closeAll = async () => {
      for (const runtime of runtimes) await runtime.connector?.close?.();
      stores.closeAll();
    };
    let server: Server;
    let actualPort: number;
    try {
      for (const { name, loaded } of requestedBindings(
        ctx,
        values.binding ?? [],
        values.config ?? ctx.configFlag,
      )) {
        const search = connectorSearch(loaded.projectDir, ctx.io.cwd);
        const definition = await loadConnectorDefinition(
          defaultBindingName(loaded),
          loaded.config.connectorPackage,
          search,
        );
        const served = servedBinding(loaded, definition, name, ctx.io.env);
        secrets.add(served.secret);
        let connector: TrackerConnector | null = null;
        if (!acceptOnly) {
          const { connectorConfig, secrets: credentials } = connectorConfigFor(
            loaded.config,
            definition,
            values.credential ?? [],
            ctx.io.env,
          );
          for (const secret of credentials) secrets.add(secret);
          connector = createConnector(definition.id as never, connectorConfig as never);
        }
        const runtime: BindingRuntime = {
          served,
          loaded,
          store: stores.open(loaded),
          connector,
          processor: null,
        };
        runtimes.push(runtime);
        if (connector !== null) {
          const engine = createEngine(loaded.config, connector, runtime.store, scopeOf(loaded.config));
          runtime.processor = processorFor(runtime, engine, log, safetyIntervalMs);
        }
      }
      const startedAt = new Date();
      server = createWebhookServer({
        endpoints: runtimes.map((runtime) => ({
          name: runtime.served.name,
          webhooks: runtime.served.webhooks,
          workspace: runtime.served.workspace,
          secret: runtime.served.secret,
          inbox: runtime.store,
          onQueued: () => runtime.processor?.wake(),
        })),
        maxBodyBytes,
        log,
        health: async () => ({
          status: 'ok',
          startedAt: startedAt.toISOString(),
          acceptOnly,
          bindings: Object.fromEntries(
            await Promise.all(
              runtimes.map(async (runtime) => [
                runtime.served.name,
                {
                  provider: runtime.served.provider,
                  inbox: await runtime.store.inboxStats(runtime.served.name),
                  ...(runtime.processor?.health() ?? { processing: false }),
                },
              ]),
            ),
          ),
        }),
      });
      actualPort = await listen(server, port, host);
    } catch (error) {
      await closeAll();
      throw error;
    }

    const signals = stopSignal();
    log('listening', {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
      port: actualPort,
      acceptOnly,
      maxBodyBytes,
      safetyIntervalSeconds: acceptOnly ? 0 : safetyIntervalMs / 1000,
      bindings: runtimes.map((runtime) => ({
        name: runtime.served.name,
        provider: runtime.served.provider,
        path: `/webhooks/${runtime.served.name}`,
        secretEnv: runtime.served.secretEnv,
        store: storePathOf(runtime.loaded),
      })),
    });
    for (const runtime of runtimes) runtime.processor?.start();
    const pruner = startPruning(stores.all(), log, SERVE_DEFAULTS.keepDoneMs, SERVE_DEFAULTS.pruneIntervalMs);

    const signal = await signals.stopped;
    log('stopping', { signal });
    // A second signal does not wait for the work in flight (it is back in the inbox for the next start).
    const abortAll = () => {
      for (const runtime of runtimes) runtime.processor?.abort();
    };
    process.once('SIGTERM', abortAll);
    process.once('SIGINT', abortAll);
    // New connections are refused at once; requests in flight get their answer first.
    await closeServer(server);
    clearInterval(pruner);
    for (const runtime of runtimes) await runtime.processor?.stop();
    signals.dispose();
    process.off('SIGTERM', abortAll);
    process.off('SIGINT', abortAll);
    await closeAll();
    log('stopped', { signal });
    return ExitCode.OK;
  },
};
