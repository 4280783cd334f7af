import { existsSync } from 'node:fs';
import { capabilitiesAsRecord } from '@spec-kitty/core';
import { configPathFor, loadConfig } from './cli-config';
import {
  type Command,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  parseCommandArgs,
  say,
} from './command-context';
import { connectorSearch, createBoundConnector, discoverInstalledConnectors } from './connector-loader';
import { ExitCode, UsageError } from './exit-codes';
import { renderTable } from './table';

const OPTIONS = {
  ...GLOBAL_FLAGS,
  credential: {
    type: 'string',
    multiple: true,
    placeholder: 'key=value',
    description: 'a secret connector setting for this probe only (never stored)',
    default: 'read from the environment variables named in credentialEnv',
  },
} as const satisfies FlagSpecs;

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'List installed connectors; with a binding, probe the tracker and its capabilities',
  usage: 'discover [options]',
  options: OPTIONS,
  examples: ['discover', '--json discover'],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('discover', ctx.args, OPTIONS);
    if (positionals.length > 0)
      throw new UsageError(`discover: unexpected argument ${JSON.stringify(positionals[0])}.`);
    const configPath = configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag);
    const loaded = existsSync(configPath) ? loadConfig(configPath) : null;
    const search = connectorSearch(loaded?.projectDir ?? ctx.io.cwd, ctx.io.cwd);
    const connectors = await discoverInstalledConnectors(search);
    const rows = connectors.map((row) => ({
      id: row.id,
      packageName: row.packageName,
      installed: row.definition !== null,
      displayName: row.definition?.displayName ?? null,
      mode: row.definition?.mode ?? null,
      version: row.definition?.packageVersion ?? null,
      discovery: row.definition?.discovery !== undefined,
    }));
    let bound: Record<string, unknown> | null = null;
    if (loaded !== null) {
      const { config } = loaded;
      if (config.provider !== undefined) {
        bound = { provider: config.provider, workspace: config.workspace ?? null };
        try {
          const connector = await createBoundConnector(config, values.credential ?? [], ctx.io.env, search);
          try {
            bound.capabilities = capabilitiesAsRecord(await connector.getCapabilities());
            const page = await connector.listIssues({ updatedSince: null, cursor: null, limit: 1 });
            bound.reachable = true;
            bound.sample = page.items[0] ? { id: page.items[0].ref.id, title: page.items[0].title } : null;
          } finally {
            await connector.close?.();
          }
        } catch (error) {
          bound.reachable = false;
          bound.problem = (error as Error).message;
        }
      }
    }
    emitJson(ctx, { command: 'discover', connectors: rows, bound });
    say(
      ctx,
      renderTable(
        ['provider', 'package', 'installed', 'mode', 'version'],
        rows.map((row) => [
          row.id,
          row.packageName,
          row.installed ? 'yes' : 'no',
          row.mode ?? '',
          row.version ?? '',
        ]),
      ),
    );
    if (bound) {
      say(ctx, `\nBound: ${bound.provider}${bound.workspace ? ` (${bound.workspace})` : ''}`);
      if (bound.reachable) {
        const flags = Object.entries(bound.capabilities as Record<string, boolean>)
          .filter(([, on]) => on)
          .map(([flag]) => flag);
        say(ctx, `  reachable, capabilities: ${flags.join(', ') || 'none'}`);
      } else {
        say(ctx, `  not reachable: ${bound.problem}`);
      }
    }
    return bound !== null && bound.reachable !== true ? ExitCode.ERROR : ExitCode.OK;
  },
};
