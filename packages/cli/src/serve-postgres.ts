import type { Server } from 'node:http';
import type { AnyConnectorDefinition, JsonValue } from '@spec-kitty/core';
import type { Binding, SyncWorker } from '@spec-kitty/worker';
import { configPathFor, loadConfig } from './cli-config';
import type { CommandContext } from './command-context';
import { loadConnectorDefinition } from './connector-loader';
import { ExitCode, UsageError } from './exit-codes';
import { isPostgresUrl, postgresStoreUrl, redact } from './postgres-store-url';
import { type ServedBinding, webhookSecretEnv } from './serve-bindings';
import { createWebhookServer } from './serve-http';
import { createServeLog } from './serve-log';
import { closeServer, listen, stopSignal } from './serve-runtime';
import { webhookWorkspaceOf } from './webhook-workspace';

// `serve` in front of a PostgreSQL store: deliveries of registered worker bindings are verified,
// stored in the binding's inbox and queued as a webhook job; `spec-kitty-tracker worker`
// processes drain them. Nothing is processed here, so serve needs no tracker credentials.

/** What `serve` was asked for when its store is PostgreSQL. */
export interface PostgresServeOptions {
  readonly url: string;
  readonly schema: string | undefined;
  readonly bindingIds: readonly string[];
  readonly port: number;
  readonly host: string;
  readonly maxBodyBytes: number;
}

/**
 * Whether `serve` runs against a PostgreSQL store: `--store` is given, or `SPEC_KITTY_STORE` or
 * the config's `store` is a `postgres://` URL (the resolution of `worker`).
 */
export function postgresServeRequested(ctx: CommandContext, flag: string | undefined, configFlag?: string) {
  if (flag !== undefined) return true;
  if (isPostgresUrl(ctx.io.env.SPEC_KITTY_STORE)) return true;
  try {
    return isPostgresUrl(loadConfig(configPathFor(ctx.io.cwd, configFlag)).config.store);
  } catch {
    // No (readable) config: the SQLite path reports it as it always did.
    return false;
  }
}

/** The store URL of `serve` (same resolution as `worker`); refuses a non-postgres value. */
export function postgresServeUrl(ctx: CommandContext, flag: string | undefined, configFlag?: string): string {
  return postgresStoreUrl('serve', ctx.io, flag, configFlag);
}

/** The password of a `postgres://user:password@…` URL, so it can be kept out of messages and logs. */
function passwordOf(url: string): string | null {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? null : password;
  } catch {
    return null;
  }
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A registered worker binding as `serve` accepts it: verified with its provider's webhooks. */
export function servedWorkerBinding(
  binding: Binding,
  definition: AnyConnectorDefinition,
  env: Readonly<Record<string, string | undefined>>,
): ServedBinding {
  if (definition.webhooks === undefined)
    throw new UsageError(
      `serve: binding "${binding.id}" uses the ${binding.provider} connector, which has no webhook support (its definition provides no \`webhooks\`), so its deliveries cannot be verified. The worker keeps it in sync on its schedule; leave it out of --binding.`,
    );
  const secretEnv = webhookSecretEnv(binding.id);
  const secret = env[secretEnv];
  if (secret === undefined || secret.trim() === '')
    throw new UsageError(
      `serve: binding "${binding.id}" has no webhook secret. Set ${secretEnv} to the secret configured on the ${binding.provider} webhook (see docs/guides/live-sync.md); unsigned deliveries are never accepted.`,
    );
  return {
    name: binding.id,
    provider: binding.provider,
    webhooks: definition.webhooks,
    // The refs the worker's connector writes, so the worker's drain finds the stored issues.
    workspace: webhookWorkspaceOf({
      provider: binding.provider,
      workspace: text(binding.config.workspace),
      connector: { ...binding.config },
    }),
    secretEnv,
    secret,
  };
}

async function openWorker(options: PostgresServeOptions, password: string | null): Promise<SyncWorker> {
  const { SyncWorker } = await import('@spec-kitty/worker');
  try {
    // `work: false`: this process only stores deliveries and queues jobs; workers run them.
    return await SyncWorker.start({
      connectionString: options.url,
      schema: options.schema,
      work: false,
      poolSize: 4,
    });
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    const detail = password === null ? cause : cause.split(password).join('***');
    // The store's message names the redacted URL and what to check.
    throw new UsageError(
      `serve: ${detail.includes(redact(options.url)) ? '' : `cannot open the PostgreSQL store at ${redact(options.url)}: `}${detail.trim()}`,
    );
  }
}

async function servedBindings(
  ctx: CommandContext,
  worker: SyncWorker,
  options: PostgresServeOptions,
): Promise<ServedBinding[]> {
  const served: ServedBinding[] = [];
  for (const id of options.bindingIds) {
    const binding = await worker.bindings.get(id);
    if (binding === null) {
      const known = (await worker.bindings.list()).map((entry) => entry.id);
      throw new UsageError(
        `serve: unknown binding "${id}": no worker binding with that id in the PostgreSQL store (schema ${worker.store.schema}). ${known.length === 0 ? 'None is registered' : `Registered: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}`}. See \`spec-kitty-tracker bindings list\`; register one with \`spec-kitty-tracker bindings add\`.`,
      );
    }
    const definition = await loadConnectorDefinition(binding.provider, undefined, [ctx.io.cwd]);
    served.push(servedWorkerBinding(binding, definition, ctx.io.env));
  }
  return served;
}

/** Runs `serve` against a PostgreSQL store until SIGTERM / SIGINT. */
export async function servePostgres(ctx: CommandContext, options: PostgresServeOptions): Promise<ExitCode> {
  if (options.bindingIds.length === 0)
    throw new UsageError(
      'serve: with a PostgreSQL store, name the worker bindings to serve: --binding <id> (repeatable; see `spec-kitty-tracker bindings list`).',
    );
  const password = passwordOf(options.url);
  const secrets = new Set<string>(password === null ? [] : [password]);
  const log = createServeLog(ctx.io.stdout, () => secrets);
  const worker = await openWorker(options, password);
  let server: Server;
  let port: number;
  let served: ServedBinding[];
  try {
    served = await servedBindings(ctx, worker, options);
    for (const binding of served) secrets.add(binding.secret);
    const startedAt = new Date();
    server = createWebhookServer({
      endpoints: served.map((binding) => ({
        name: binding.name,
        webhooks: binding.webhooks,
        workspace: binding.workspace,
        secret: binding.secret,
        // Stored in the binding's scope and queued as a webhook job, committed before the 202.
        inbox: { enqueueDelivery: (init) => worker.enqueueDelivery(init) },
      })),
      maxBodyBytes: options.maxBodyBytes,
      log,
      health: async () => ({
        status: 'ok',
        startedAt: startedAt.toISOString(),
        store: 'postgres',
        processing: 'worker',
        bindings: Object.fromEntries(
          await Promise.all(
            served.map(async (binding) => {
              const registered = await worker.bindings.get(binding.name);
              return [
                binding.name,
                {
                  provider: binding.provider,
                  inbox: await worker.store.scope(binding.name).inboxStats(binding.name),
                  status: registered?.status ?? 'removed',
                  enabled: registered?.enabled ?? false,
                  lastSuccessAt: registered?.lastSuccessAt?.toISOString() ?? null,
                  lastError: registered?.lastError ?? null,
                },
              ];
            }),
          ),
        ),
      }),
    });
    port = await listen(server, options.port, options.host);
  } catch (error) {
    await worker.stop({ timeoutMs: 5000 });
    throw error;
  }

  const signals = stopSignal();
  const host = options.host;
  log('listening', {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    store: redact(options.url),
    schema: worker.store.schema,
    processing: 'worker',
    message:
      'Deliveries are stored in the PostgreSQL inbox and queued for `spec-kitty-tracker worker` processes; serve does not process them. Run at least one worker on this store.',
    maxBodyBytes: options.maxBodyBytes,
    bindings: served.map((binding) => ({
      name: binding.name,
      provider: binding.provider,
      path: `/webhooks/${encodeURIComponent(binding.name)}`,
      secretEnv: binding.secretEnv,
    })),
  });
  const signal = await signals.stopped;
  log('stopping', { signal });
  await closeServer(server);
  signals.dispose();
  await worker.stop({ timeoutMs: 5000 });
  log('stopped', { signal });
  return ExitCode.OK;
}

/** Flags of the SQLite serve that mean nothing with a PostgreSQL store (the worker processes). */
export function checkPostgresFlags(values: Readonly<Record<string, unknown>>): void {
  for (const flag of ['safety-interval', 'accept-only', 'credential'] as const) {
    if (values[flag] !== undefined)
      throw new UsageError(
        `serve: --${flag} does not apply with a PostgreSQL store: serve only accepts deliveries there, and \`spec-kitty-tracker worker\` processes them (with its own credentials and schedule).`,
      );
  }
}
