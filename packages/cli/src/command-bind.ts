import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConflictStrategy, FieldOwner, type JsonValue } from '@spec-kitty/core';
import {
  configPathFor,
  loadConfig,
  parseConfig,
  parsePolicyMode,
  saveConfig,
  type TrackerConfig,
} from './cli-config';
import {
  type Command,
  type CommandContext,
  emitJson,
  parseCommandArgs,
  parsePositiveInt,
  say,
} from './command-context';
import { loadConnectorDefinition, packageFor } from './connector-loader';
import { isSecretKey, splitAssignment } from './credentials';
import { ExitCode, UsageError } from './exit-codes';
import { bindingFor } from './provider-bindings';

const BIND_OPTIONS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  provider: { type: 'string', short: 'p' },
  workspace: { type: 'string', short: 'w' },
  set: { type: 'string', multiple: true },
  unset: { type: 'string', multiple: true },
  'credential-env': { type: 'string', multiple: true },
  'connector-package': { type: 'string' },
  policy: { type: 'string' },
  owner: { type: 'string', multiple: true },
  'default-owner': { type: 'string' },
  strategy: { type: 'string' },
  'strict-manual-review': { type: 'boolean' },
  'no-strict-manual-review': { type: 'boolean' },
  store: { type: 'string' },
  'store-durability': { type: 'string' },
  'page-size': { type: 'string' },
  force: { type: 'boolean' },
} as const;

/** `--set key=value`: JSON when it parses (numbers, booleans, objects), else the plain string. */
function parseSetting(text: string): [string, JsonValue] {
  const [key, raw] = splitAssignment(text, '--set');
  if (isSecretKey(key)) {
    throw new UsageError(
      `--set ${key}=… looks like a credential; credentials are never written to the config. Use --credential-env ${key}=ENV_VAR_NAME and export the variable.`,
    );
  }
  try {
    return [key, JSON.parse(raw) as JsonValue];
  } catch {
    return [key, raw];
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as T;
}

async function bind(ctx: CommandContext, mode: 'init' | 'bind'): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(mode, ctx.args, BIND_OPTIONS);
  if (positionals.length > 0)
    throw new UsageError(`${mode}: unexpected argument ${JSON.stringify(positionals[0])}.`);
  const path = configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag);
  const exists = existsSync(path);
  if (mode === 'init' && exists && !values.force) {
    throw new UsageError(
      `${path} already exists. Use \`spec-kitty-tracker bind\` to change it, or init --force to start over.`,
    );
  }
  const current: TrackerConfig =
    exists && !(mode === 'init' && values.force)
      ? loadConfig(path).config
      : parseConfig({ version: 1 }, path);
  const next: TrackerConfig = {
    ...current,
    connector: { ...current.connector },
    credentialEnv: { ...current.credentialEnv },
    policy: { ...current.policy, fieldOwners: { ...current.policy.fieldOwners } },
  };

  if (values.provider !== undefined && values.provider !== current.provider) {
    next.provider = values.provider;
    // Settings of another provider do not carry over.
    next.connector = {};
    next.credentialEnv = {};
    delete next.workspace;
    if (values['connector-package'] === undefined) delete next.connectorPackage;
  }
  if (values['connector-package'] !== undefined) next.connectorPackage = values['connector-package'];
  if (next.provider !== undefined) packageFor(next.provider, next.connectorPackage);
  if (values.workspace !== undefined) {
    if (next.provider === undefined)
      throw new UsageError('--workspace needs a provider: add --provider <id>.');
    next.workspace = values.workspace;
    Object.assign(next.connector, bindingFor(next.provider).workspaceToConfig(values.workspace));
  }
  for (const setting of values.set ?? []) {
    const [key, value] = parseSetting(setting);
    next.connector[key] = value;
  }
  for (const key of values.unset ?? []) delete next.connector[key];
  for (const entry of values['credential-env'] ?? []) {
    const [key, variable] = splitAssignment(entry, '--credential-env');
    next.credentialEnv[key] = variable;
  }
  if (values.policy !== undefined) next.policy.mode = parsePolicyMode(values.policy);
  for (const entry of values.owner ?? []) {
    const [field, owner] = splitAssignment(entry, '--owner');
    next.policy.fieldOwners[field] = oneOf(owner, Object.values(FieldOwner), `--owner ${field}`);
  }
  if (values['default-owner'] !== undefined) {
    next.policy.defaultOwner = oneOf(values['default-owner'], Object.values(FieldOwner), '--default-owner');
  }
  if (values.strategy !== undefined)
    next.strategy = oneOf(values.strategy, Object.values(ConflictStrategy), '--strategy');
  if (values['strict-manual-review']) next.strictManualReview = true;
  if (values['no-strict-manual-review']) next.strictManualReview = false;
  if (values.store !== undefined) next.store = values.store;
  if (values['store-durability'] !== undefined) {
    next.storeDurability = oneOf(
      values['store-durability'],
      ['full', 'normal'] as const,
      '--store-durability',
    );
  }
  const pageSize = parsePositiveInt(values['page-size'], '--page-size');
  if (pageSize !== undefined) next.pageSize = pageSize;

  saveConfig(path, next);
  const gitignore = join(dirname(path), '.gitignore');
  if (!existsSync(gitignore))
    writeFileSync(gitignore, '# local sync state (spec-kitty-tracker)\n*.db\n*.db-wal\n*.db-shm\n');

  const credentialEnv = next.provider
    ? { ...bindingFor(next.provider).credentialEnv, ...next.credentialEnv }
    : {};
  const credentials = Object.entries(credentialEnv).map(([key, variable]) => ({
    key,
    variable,
    present: (ctx.io.env[variable] ?? '') !== '',
  }));
  let installed: boolean | null = null;
  if (next.provider !== undefined) {
    installed = await loadConnectorDefinition(next.provider, next.connectorPackage).then(
      () => true,
      () => false,
    );
  }
  emitJson(ctx, {
    command: mode,
    configPath: path,
    config: next,
    credentials,
    connectorInstalled: installed,
  });
  const where = relative(ctx.io.cwd, path) || path;
  say(ctx, `${mode === 'init' ? 'Created' : 'Updated'} ${where}`);
  if (next.provider !== undefined) {
    say(ctx, `  provider   ${next.provider}${next.workspace ? ` (${next.workspace})` : ''}`);
    if (installed === false)
      say(ctx, `  warning    ${packageFor(next.provider, next.connectorPackage)} is not installed`);
  } else {
    say(
      ctx,
      '  provider   none (run `spec-kitty-tracker bind --provider <id> --workspace <ws>`; `demo` works without one)',
    );
  }
  say(
    ctx,
    `  policy     ${next.policy.mode}, strategy ${next.strategy}${next.strictManualReview ? ', strict manual review' : ''}`,
  );
  say(ctx, `  store      ${next.store}`);
  for (const credential of credentials) {
    say(
      ctx,
      `  credential ${credential.key} from $${credential.variable} (${credential.present ? 'set' : 'NOT set'})`,
    );
  }
  return ExitCode.OK;
}

const BIND_USAGE =
  '[--provider ID] [--workspace WS] [--set key=value]… [--unset key]… [--credential-env key=ENV]… [--policy external|local|split] [--owner field=local|external|shared]… [--default-owner OWNER] [--strategy newer_timestamp|external_wins|local_wins|manual_review] [--strict-manual-review] [--store PATH] [--store-durability full|normal] [--page-size N]';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create .spec-kitty/tracker.json (optionally binding a provider)',
  usage: `init ${BIND_USAGE} [--force]`,
  run: (ctx) => bind(ctx, 'init'),
};

export const bindCommand: Command = {
  name: 'bind',
  summary: 'Bind or change the provider, workspace and ownership policy',
  usage: `bind ${BIND_USAGE}`,
  run: (ctx) => bind(ctx, 'bind'),
};
