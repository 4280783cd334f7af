import type { SyncWorkerOptions, WorkerEvent } from '@spec-kitty/worker';
import { type Command, GLOBAL_FLAGS, parseCommandArgs, parsePositiveInt, say } from './command-context';
import { loadConnectorDefinition } from './connector-loader';
import { ExitCode, UsageError } from './exit-codes';
import { postgresStoreUrl, redact } from './postgres-store-url';

const WORKER_FLAGS = {
  ...GLOBAL_FLAGS,
  store: {
    type: 'string',
    placeholder: 'URL',
    description: 'the PostgreSQL store (bindings, issues, jobs)',
    default: 'SPEC_KITTY_STORE, else the config\'s "store" when it is a postgres:// URL',
  },
  schema: {
    type: 'string',
    placeholder: 'NAME',
    description: 'schema of the store and bindings',
    default: 'spec_kitty',
  },
  concurrency: {
    type: 'string',
    placeholder: 'N',
    values: 'integer >= 1',
    description: 'runs this process does at once',
    default: '2',
  },
  'provider-cap': {
    type: 'string',
    multiple: true,
    placeholder: 'provider=N',
    description: 'fleet-wide runs at once for a provider (hosted providers share vendor limits)',
  },
  'max-attempts': {
    type: 'string',
    placeholder: 'N',
    values: 'integer >= 1',
    description: 'failed runs in a row before a binding is dead-lettered',
    default: '5',
  },
  'poll-seconds': {
    type: 'string',
    placeholder: 'N',
    values: 'integer >= 1',
    description: 'idle polling interval',
    default: '2',
  },
} as const;

function parseCaps(pairs: readonly string[]): Record<string, number> {
  const caps: Record<string, number> = {};
  for (const pair of pairs) {
    const [provider, count] = pair.split('=');
    if (!provider || count === undefined)
      throw new UsageError(`--provider-cap takes provider=N, got ${JSON.stringify(pair)}.`);
    caps[provider] = parsePositiveInt(count, `--provider-cap ${provider}`) ?? 1;
  }
  return caps;
}

function describe(event: WorkerEvent): string | null {
  switch (event.type) {
    case 'run': {
      const { outcome } = event;
      const detail =
        outcome.kind === 'ok' || outcome.kind === 'partial'
          ? ` (pulled ${outcome.result.stats.pulledCreated + outcome.result.stats.pulledUpdated}, pushed ${outcome.result.stats.pushedCreated + outcome.result.stats.pushedUpdated})`
          : outcome.kind === 'failed' || outcome.kind === 'rate_limited'
            ? `: ${outcome.error}`
            : '';
      return `${event.bindingId}: ${outcome.kind}${detail} in ${event.durationMs} ms`;
    }
    case 'dead_letter':
      return `${event.bindingId}: dead-lettered after repeated failures: ${event.error}`;
    case 'error':
      return `error: ${event.error.message}`;
    default:
      return null;
  }
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run a sync worker: take binding runs from the PostgreSQL store until SIGTERM',
  usage: 'worker --store postgres://… [options]',
  options: WORKER_FLAGS,
  examples: [
    'worker --store postgres://tracker@db/tracker --concurrency 4 --provider-cap github=8',
    'SPEC_KITTY_STORE=postgres://tracker@db/tracker worker --json',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('worker', ctx.args, WORKER_FLAGS);
    if (positionals.length > 0)
      throw new UsageError(`worker: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const url = postgresStoreUrl('worker', ctx.io, values.store, values.config ?? ctx.configFlag);
    const { SyncWorker, envCredentialResolver, registryConnectorFactory } = await import(
      '@spec-kitty/worker'
    );
    const fromRegistry = registryConnectorFactory();
    const print = (line: string) => {
      if (ctx.json) ctx.io.stdout.write(`${line}\n`);
      else if (!ctx.quiet) ctx.io.stderr.write(`${line}\n`);
    };
    const options: SyncWorkerOptions = {
      connectionString: url,
      schema: values.schema,
      concurrency: parsePositiveInt(values.concurrency, '--concurrency') ?? 2,
      providerConcurrency: parseCaps(values['provider-cap'] ?? []),
      maxAttempts: parsePositiveInt(values['max-attempts'], '--max-attempts') ?? 5,
      pollingIntervalSeconds: parsePositiveInt(values['poll-seconds'], '--poll-seconds') ?? 2,
      resolveCredential: envCredentialResolver(ctx.io.env),
      // Connector packages load on first use, as for `sync`.
      createConnector: async (binding, credential) => {
        await loadConnectorDefinition(binding.provider, undefined, [ctx.io.cwd]);
        return fromRegistry(binding, credential);
      },
      onEvent: (event) => {
        if (ctx.json) {
          const { type, ...rest } = event;
          print(
            JSON.stringify({ type, ...rest }, (_key, value) =>
              value instanceof Error ? value.message : value,
            ),
          );
        } else {
          const line = describe(event);
          if (line !== null) print(line);
        }
      },
    };
    const worker = await SyncWorker.start(options);
    if (!ctx.json)
      say(ctx, `Worker ${worker.workerId} taking runs from ${redact(url)}; stop it with SIGTERM or Ctrl-C.`);
    await new Promise<void>((resolve) => worker.installSignalHandlers(resolve));
    if (!ctx.json) say(ctx, `Worker ${worker.workerId} stopped.`);
    return ExitCode.OK;
  },
};
