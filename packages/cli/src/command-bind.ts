import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  type AnyConnectorDefinition,
  ConflictStrategy,
  ConnectorConfigError,
  FieldOwner,
  type JsonValue,
  KNOWN_CONNECTOR_PACKAGES,
} from '@spec-kitty/core';
import {
  configPathFor,
  loadConfig,
  OWNABLE_FIELDS,
  ownableField,
  parseConfig,
  parsePolicyMode,
  saveConfig,
  type TrackerConfig,
} from './cli-config';
import {
  type Command,
  type CommandContext,
  emitJson,
  type FlagSpecs,
  GLOBAL_FLAGS,
  type ParsedCommandArgs,
  parseCommandArgs,
  parsePositiveInt,
  say,
} from './command-context';
import {
  type ConnectorSearch,
  connectorSearch,
  loadConnectorDefinition,
  packageFor,
} from './connector-loader';
import {
  type CredentialStatus,
  credentialInUrl,
  credentialStatus,
  isSecretKey,
  splitAssignment,
} from './credentials';
import { ExitCode, UsageError } from './exit-codes';

const BIND_OPTIONS = {
  ...GLOBAL_FLAGS,
  provider: {
    type: 'string',
    short: 'p',
    placeholder: 'ID',
    description: 'the tracker connector to bind',
    values: 'github, gitlab, jira, linear, azure_devops, beads, fp, memory, or a third-party id',
    default: 'none (unchanged by bind)',
  },
  workspace: {
    type: 'string',
    short: 'w',
    placeholder: 'WS',
    description: "the tracker scope; the connector's CLI binding turns it into its scope settings",
    values:
      'owner/repo (GitHub), project id (GitLab), team id (Linear), project key (Jira), org/project (Azure DevOps), a name (memory, beads, fp); third-party: see the connector',
    default: 'none',
  },
  set: {
    type: 'string',
    multiple: true,
    placeholder: 'key=value',
    description: 'a non-secret connector setting (JSON values parse, e.g. numbers)',
    values: "the connector's settings, e.g. baseUrl, command, cwd",
  },
  unset: {
    type: 'string',
    multiple: true,
    placeholder: 'key',
    description: 'remove a connector setting',
  },
  'credential-env': {
    type: 'string',
    multiple: true,
    placeholder: 'key=ENV',
    description: 'read a secret connector setting from this environment variable',
    default: "the connector's own, e.g. token=GITHUB_TOKEN",
  },
  'connector-package': {
    type: 'string',
    placeholder: 'PKG',
    description: 'npm package (or file URL) that registers the provider; looked up in the project first',
    default: "the first-party package, else an installed package with the 'spec-kitty-connector' keyword",
  },
  policy: {
    type: 'string',
    placeholder: 'MODE',
    description: 'who owns which fields',
    values:
      'split (each field per --owner), external (tracker wins, nothing local is pushed), local (local wins)',
    default: 'split with every field shared',
  },
  owner: {
    type: 'string',
    multiple: true,
    placeholder: 'field=OWNER',
    description: 'split policy: the owner of one field',
    values: `field one of ${OWNABLE_FIELDS.join(', ')}; OWNER local|external|shared`,
  },
  'default-owner': {
    type: 'string',
    placeholder: 'OWNER',
    description: 'split policy: the owner of fields without --owner',
    values: 'local|external|shared',
    default: 'shared',
  },
  strategy: {
    type: 'string',
    placeholder: 'S',
    description: 'how a shared field edited on both sides is resolved',
    values: 'newer_timestamp|external_wins|local_wins|manual_review',
    default: 'newer_timestamp',
  },
  'strict-manual-review': {
    type: 'boolean',
    description: 'fail a run (exit 4) after its writes when a conflict needs review',
    default: 'off',
  },
  'no-strict-manual-review': { type: 'boolean', description: 'turn --strict-manual-review off' },
  store: {
    type: 'string',
    placeholder: 'PATH',
    description: 'the SQLite store, relative to the project directory',
    default: '.spec-kitty/tracker.db',
  },
  'store-durability': {
    type: 'string',
    placeholder: 'MODE',
    description: 'full: every write survives power loss; normal: survives a crash, faster',
    values: 'full|normal',
    default: 'full',
  },
  'page-size': {
    type: 'string',
    placeholder: 'N',
    description: 'page size of tracker listings',
    values: 'a whole number >= 1',
    default: '100',
  },
} as const satisfies FlagSpecs;

const INIT_OPTIONS = {
  ...BIND_OPTIONS,
  force: { type: 'boolean', description: 'overwrite an existing config', default: 'refuse' },
} as const satisfies FlagSpecs;

/** `--set key=value`: JSON when it parses (numbers, booleans, objects), else the plain string. */
function parseSetting(text: string): [string, JsonValue] {
  const [key, raw] = splitAssignment(text, '--set');
  if (isSecretKey(key)) {
    throw new UsageError(
      `--set ${key}=… looks like a credential; credentials are never written to the config. Use --credential-env ${key}=ENV_VAR_NAME and export the variable.`,
    );
  }
  const where = credentialInUrl(raw);
  if (where !== null) {
    throw new UsageError(
      `--set ${key}=… is a URL with a credential in it (${where}); the config file is meant to be committed. Give the URL without it and pass the secret through --credential-env.`,
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

type BindFlags = ParsedCommandArgs<typeof INIT_OPTIONS>['values'];

async function bind(ctx: CommandContext, mode: 'init' | 'bind'): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    mode,
    ctx.args,
    (mode === 'init' ? INIT_OPTIONS : BIND_OPTIONS) as typeof INIT_OPTIONS,
  );
  if (positionals.length > 0)
    throw new UsageError(`${mode}: unexpected argument ${JSON.stringify(positionals[0])}.`);
  const path = configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag);
  const current = startingConfig(mode, path, values.force === true);
  const next: TrackerConfig = {
    ...current,
    connector: { ...current.connector },
    credentialEnv: { ...current.credentialEnv },
    policy: { ...current.policy, fieldOwners: { ...current.policy.fieldOwners } },
  };
  const search = connectorSearch(projectDirOf(path), ctx.io.cwd);
  const definition = await applyConnectorFlags(next, current, values, search);
  applyPolicyFlags(next, values);
  applyStoreFlags(next, values);

  saveConfig(path, next);
  const gitignore = join(dirname(path), '.gitignore');
  if (!existsSync(gitignore))
    writeFileSync(gitignore, '# local sync state (spec-kitty-tracker)\n*.db\n*.db-wal\n*.db-shm\n');

  let installed: boolean | null = null;
  let loadedDefinition: AnyConnectorDefinition | null = definition;
  if (next.provider !== undefined && loadedDefinition === null) {
    loadedDefinition = await loadConnectorDefinition(next.provider, next.connectorPackage, search).catch(
      () => null,
    );
  }
  if (next.provider !== undefined) installed = loadedDefinition !== null;
  const credentials = credentialStatus(next, ctx.io.env, {
    ...(loadedDefinition?.cli?.credentialEnv ?? {}),
  });
  emitJson(ctx, {
    command: mode,
    configPath: path,
    config: next,
    credentials,
    connectorInstalled: installed,
  });
  reportBinding(ctx, mode, path, next, credentials, installed, search);
  return ExitCode.OK;
}

/** The config the flags edit: the existing one, or defaults for `init` (refused over a file unless --force). */
function startingConfig(mode: 'init' | 'bind', path: string, force: boolean): TrackerConfig {
  const exists = existsSync(path);
  if (mode === 'init' && exists && !force) {
    throw new UsageError(
      `${path} already exists. Use \`spec-kitty-tracker bind\` to change it, or init --force to start over.`,
    );
  }
  return exists && !(mode === 'init' && force) ? loadConfig(path).config : parseConfig({ version: 1 }, path);
}

/** The directory holding `.spec-kitty/` for a config path. */
function projectDirOf(configPath: string): string {
  const dir = dirname(configPath);
  return dir.endsWith('.spec-kitty') ? dirname(dir) : dir;
}

/**
 * Provider and its package. A changed provider drops the old provider's settings; its package is
 * kept only when that package registers the new provider too. A provider without a first-party
 * package gets the installed keyword package that registers it.
 */
async function applyProviderFlags(
  next: TrackerConfig,
  current: TrackerConfig,
  values: BindFlags,
  search: ConnectorSearch,
): Promise<AnyConnectorDefinition | null> {
  const explicitPackage = values['connector-package'];
  if (explicitPackage !== undefined) next.connectorPackage = explicitPackage;
  if (values.provider !== undefined && values.provider !== current.provider) {
    next.provider = values.provider;
    // Settings of another provider do not carry over.
    next.connector = {};
    next.credentialEnv = {};
    delete next.workspace;
    if (explicitPackage === undefined && current.connectorPackage !== undefined) {
      const kept = await loadConnectorDefinition(values.provider, current.connectorPackage, search).catch(
        () => null,
      );
      if (kept === null) delete next.connectorPackage;
      else return kept;
    }
  }
  if (next.provider === undefined) return null;
  // Fails with the install / --connector-package hint when nothing provides the id.
  const packageName = await packageFor(next.provider, next.connectorPackage, search);
  const known = packageName === KNOWN_CONNECTOR_PACKAGES[next.provider];
  if (next.connectorPackage === undefined && !known) next.connectorPackage = packageName;
  return null;
}

/** `--workspace` → the connector's own config fields, through its definition's CLI binding. */
async function applyWorkspace(
  next: TrackerConfig,
  workspace: string,
  loaded: AnyConnectorDefinition | null,
  search: ConnectorSearch,
): Promise<AnyConnectorDefinition> {
  if (next.provider === undefined) throw new UsageError('--workspace needs a provider: add --provider <id>.');
  const definition = loaded ?? (await loadConnectorDefinition(next.provider, next.connectorPackage, search));
  const binding = definition.cli;
  if (binding === undefined) {
    throw new UsageError(
      `The ${next.provider} connector (${definition.packageName}) has no CLI workspace binding, so --workspace cannot be turned into its settings. Set them with --set key=value instead (see the connector's README).`,
    );
  }
  let fields: Readonly<Record<string, JsonValue>>;
  try {
    fields = binding.workspaceToConfig(workspace);
  } catch (error) {
    if (!ConnectorConfigError.isInstance(error)) throw error;
    throw new UsageError(
      `${(error as Error).message} (--workspace for ${next.provider}: ${binding.workspaceHint})`,
    );
  }
  next.workspace = workspace;
  Object.assign(next.connector, fields);
  return definition;
}

/** Provider, connector package, workspace, connector settings and credential variables. */
async function applyConnectorFlags(
  next: TrackerConfig,
  current: TrackerConfig,
  values: BindFlags,
  search: ConnectorSearch,
): Promise<AnyConnectorDefinition | null> {
  let definition = await applyProviderFlags(next, current, values, search);
  if (values.workspace !== undefined)
    definition = await applyWorkspace(next, values.workspace, definition, search);
  for (const setting of values.set ?? []) {
    const [key, value] = parseSetting(setting);
    next.connector[key] = value;
  }
  for (const key of values.unset ?? []) delete next.connector[key];
  for (const entry of values['credential-env'] ?? []) {
    const [key, variable] = splitAssignment(entry, '--credential-env');
    next.credentialEnv[key] = variable;
  }
  return definition;
}

/** Ownership policy, field owners, conflict strategy and strict manual review. */
function applyPolicyFlags(next: TrackerConfig, values: BindFlags): void {
  if (values.policy !== undefined) next.policy.mode = parsePolicyMode(values.policy);
  for (const entry of values.owner ?? []) {
    const [name, owner] = splitAssignment(entry, '--owner');
    const field = ownableField(name);
    if (field === null) {
      throw new UsageError(
        `--owner ${name}: there is no field ${JSON.stringify(name)}. Valid fields: ${OWNABLE_FIELDS.join(', ')}.`,
      );
    }
    next.policy.fieldOwners[field] = oneOf(owner, Object.values(FieldOwner), `--owner ${name}`);
  }
  if (values['default-owner'] !== undefined) {
    next.policy.defaultOwner = oneOf(values['default-owner'], Object.values(FieldOwner), '--default-owner');
  }
  if (values.strategy !== undefined)
    next.strategy = oneOf(values.strategy, Object.values(ConflictStrategy), '--strategy');
  if (values['strict-manual-review']) next.strictManualReview = true;
  if (values['no-strict-manual-review']) next.strictManualReview = false;
}

/** Store path, durability and listing page size. */
function applyStoreFlags(next: TrackerConfig, values: BindFlags): void {
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
}

function reportBinding(
  ctx: CommandContext,
  mode: 'init' | 'bind',
  path: string,
  next: TrackerConfig,
  credentials: readonly CredentialStatus[],
  installed: boolean | null,
  search: ConnectorSearch,
): void {
  const where = relative(ctx.io.cwd, path) || path;
  say(ctx, `${mode === 'init' ? 'Created' : 'Updated'} ${where}`);
  if (next.provider !== undefined) {
    say(ctx, `  provider   ${next.provider}${next.workspace ? ` (${next.workspace})` : ''}`);
    if (installed === false) {
      const packageName = next.connectorPackage ?? KNOWN_CONNECTOR_PACKAGES[next.provider] ?? next.provider;
      say(
        ctx,
        `  warning    ${packageName} is not installed (searched ${search.join(', ')} and the CLI's own folder)`,
      );
    }
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
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Create .spec-kitty/tracker.json (optionally binding a provider)',
  usage: 'init [options]',
  options: INIT_OPTIONS,
  examples: [
    'init --provider github --workspace octo/hello',
    'init --provider beads --set command=/usr/local/bin/bd --set cwd=.',
    'init --provider jira --workspace PROJ --set baseUrl=https://acme.atlassian.net --set email=me@acme.test',
    'init --provider acme --connector-package @acme/tracker-connector --workspace ACME',
  ],
  run: (ctx) => bind(ctx, 'init'),
};

export const bindCommand: Command = {
  name: 'bind',
  summary: 'Bind or change the provider, workspace and ownership policy',
  usage: 'bind [options]',
  options: BIND_OPTIONS,
  examples: [
    'bind --policy split --owner status=local --owner body=external',
    'bind --strategy manual_review',
    'bind --credential-env token=OCTO_BOT_TOKEN',
  ],
  run: (ctx) => bind(ctx, 'bind'),
};
