import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CORE_ISSUE_FIELDS,
  ConflictStrategy,
  FieldOwner,
  type JsonValue,
  OwnershipMode,
  OwnershipPolicy,
} from '@spec-kitty/core';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import * as v from 'valibot';
import { credentialInUrl, isSecretKey } from './credentials';
import { UsageError } from './exit-codes';

/** The directory holding the config, in the project root. */
export const CONFIG_DIR = '.spec-kitty';
/** The config file's name inside `CONFIG_DIR`. */
export const CONFIG_FILE = 'tracker.json';
/** Default SQLite store path, relative to the project directory. */
export const DEFAULT_STORE = '.spec-kitty/tracker.db';

/** Who owns which issue field (`policy` in the config). */
export interface TrackerConfigPolicy {
  /** The ownership mode. */
  mode: OwnershipMode;
  /** Split mode: owner per field name. */
  fieldOwners: Record<string, FieldOwner>;
  /** Split mode: owner of fields not listed. */
  defaultOwner: FieldOwner;
}

/** `.spec-kitty/tracker.json` as loaded (defaults filled in). Credentials are never part of it. */
export interface TrackerConfig {
  /** Always 1. */
  version: 1;
  /** Connector id (`github`, `beads`, …); absent until `bind`. */
  provider?: string;
  /** Human scope of the binding (`owner/repo`, project key …); also the checkpoint scope. */
  workspace?: string;
  /** Package that registers the provider, for third-party connectors (default: the known package). */
  connectorPackage?: string;
  /** Non-secret connector config, passed to the connector's own schema. */
  connector: Record<string, JsonValue>;
  /** Secret connector config key → environment variable holding it. */
  credentialEnv: Record<string, string>;
  /** Who owns which field. */
  policy: TrackerConfigPolicy;
  /** How a shared field edited on both sides is resolved. */
  strategy: ConflictStrategy;
  /** Fail a run (exit 4) after its writes when a conflict needs review. */
  strictManualReview: boolean;
  /** Attempts per operation for retryable failures. */
  maxRetryAttempts: number;
  /** Page size of tracker listings. */
  pageSize: number;
  /** SQLite store, relative to the project directory (the one holding `.spec-kitty/`). */
  store: string;
  /** `full`: every write survives power loss; `normal`: survives a crash of the process, faster. */
  storeDurability: 'full' | 'normal';
}

/** What a config file may hold: `TrackerConfig` with every defaulted field optional. */
export type TrackerConfigInput = Omit<
  TrackerConfig,
  | 'connector'
  | 'credentialEnv'
  | 'policy'
  | 'strategy'
  | 'strictManualReview'
  | 'maxRetryAttempts'
  | 'pageSize'
  | 'store'
  | 'storeDurability'
> &
  Partial<
    Pick<
      TrackerConfig,
      | 'connector'
      | 'credentialEnv'
      | 'strategy'
      | 'strictManualReview'
      | 'maxRetryAttempts'
      | 'pageSize'
      | 'store'
      | 'storeDurability'
    >
  > & {
    /** Who owns which field (default: split, every field shared). */
    policy?: Omit<TrackerConfigPolicy, 'fieldOwners' | 'defaultOwner'> & Partial<TrackerConfigPolicy>;
  };

const jsonValue: v.GenericSchema<JsonValue> = v.lazy(() =>
  v.union([
    v.string(),
    v.number(),
    v.boolean(),
    v.null(),
    v.array(jsonValue),
    v.record(v.string(), jsonValue),
  ]),
);

const nonEmpty = (what: string) =>
  v.pipe(v.string(`must be a string (${what})`), v.trim(), v.nonEmpty(`must not be empty (${what})`));

const ownerSchema = v.picklist(
  Object.values(FieldOwner),
  `must be one of ${Object.values(FieldOwner).join(', ')}`,
);

/** The fields an ownership policy can assign (`issue_type` / `custom_fields` are accepted too). */
export const OWNABLE_FIELDS: readonly string[] = CORE_ISSUE_FIELDS;

const SNAKE_FIELDS: Readonly<Record<string, string>> = {
  issue_type: 'issueType',
  custom_fields: 'customFields',
};

/** The canonical name of an ownable field, or null when there is no such field. */
export function ownableField(name: string): string | null {
  const canonical = SNAKE_FIELDS[name] ?? name;
  return OWNABLE_FIELDS.includes(canonical) ? canonical : null;
}

function holdsUrlCredential(value: JsonValue): boolean {
  if (typeof value === 'string') return credentialInUrl(value) !== null;
  if (Array.isArray(value)) return value.some(holdsUrlCredential);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsUrlCredential);
  return false;
}

const connectorSchema = v.pipe(
  v.record(v.string(), jsonValue, 'must be an object of connector settings'),
  v.check(
    (record) => !Object.keys(record).some(isSecretKey),
    'holds a credential; credentials are never stored in the config. Remove it and name an environment variable in "credentialEnv" instead',
  ),
  v.check(
    (record) => !Object.values(record).some(holdsUrlCredential),
    'holds a URL with a credential in it (user:password@ or a token parameter); the config is meant to be committed. Remove it from the URL and name an environment variable in "credentialEnv" instead',
  ),
);

/** `.spec-kitty/tracker.json`, version 1. Credentials are never part of it: only env var names. */
export const trackerConfigSchema: v.GenericSchema<TrackerConfigInput, TrackerConfig> = v.strictObject({
  version: v.literal(1, 'must be 1'),
  /** Connector id (`github`, `beads`, …); absent until `bind`. */
  provider: v.optional(nonEmpty('a connector id such as github')),
  /** Human scope of the binding (`owner/repo`, project key …); also the checkpoint scope. */
  workspace: v.optional(nonEmpty('the tracker workspace')),
  /** Package that registers the provider, for third-party connectors (default: the known package). */
  connectorPackage: v.optional(nonEmpty('an npm package name')),
  /** Non-secret connector config, passed to the connector's own schema. */
  connector: v.optional(connectorSchema, {}),
  /** Secret connector config key → environment variable holding it. */
  credentialEnv: v.optional(
    v.record(
      v.string(),
      v.pipe(
        v.string(),
        v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as GITHUB_TOKEN'),
      ),
    ),
    {},
  ),
  policy: v.optional(
    v.strictObject({
      mode: v.picklist(
        Object.values(OwnershipMode),
        `must be one of ${Object.values(OwnershipMode).join(', ')}`,
      ),
      fieldOwners: v.optional(
        v.record(
          v.pipe(
            v.string(),
            v.check(
              (name) => ownableField(name) !== null,
              `must name a field: ${CORE_ISSUE_FIELDS.join(', ')}`,
            ),
          ),
          ownerSchema,
        ),
        {},
      ),
      defaultOwner: v.optional(ownerSchema, FieldOwner.SHARED),
    }),
    // Every field shared: a local edit is pushed, a tracker edit is pulled, and with a sync base
    // only a field edited on both sides is a conflict (resolved by `strategy`).
    { mode: OwnershipMode.SPLIT_OWNERSHIP, fieldOwners: {}, defaultOwner: FieldOwner.SHARED },
  ),
  strategy: v.optional(
    v.picklist(
      Object.values(ConflictStrategy),
      `must be one of ${Object.values(ConflictStrategy).join(', ')}`,
    ),
    ConflictStrategy.NEWER_TIMESTAMP,
  ),
  strictManualReview: v.optional(v.boolean('must be true or false'), false),
  maxRetryAttempts: v.optional(
    v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be >= 0')),
    2,
  ),
  pageSize: v.optional(
    v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be >= 1')),
    100,
  ),
  /** SQLite store, relative to the project directory (the one holding `.spec-kitty/`). */
  store: v.optional(nonEmpty('a file path'), DEFAULT_STORE),
  /** `full`: every write survives power loss; `normal`: survives a crash of the process, faster. */
  storeDurability: v.optional(v.picklist(['full', 'normal'], 'must be full or normal'), 'full'),
});

/** A loaded config and where it lives. */
export interface LoadedConfig {
  /** The validated config. */
  readonly config: TrackerConfig;
  /** Absolute path of tracker.json. */
  readonly path: string;
  /** The directory holding `.spec-kitty/`; relative paths in the config resolve against it. */
  readonly projectDir: string;
}

function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      const message =
        issue.type === 'strict_object' && issue.expected === 'never'
          ? `unknown field; remove it (allowed fields are listed in the CLI README)`
          : issue.message;
      return `${path === '' ? '<root>' : path}: ${message}`;
    })
    .join('; ');
}

/** Validates raw config data; the error names the file and each bad field. */
export function parseConfig(data: unknown, source: string): TrackerConfig {
  const result = v.safeParse(trackerConfigSchema, data);
  if (!result.success) throw new UsageError(`Invalid config ${source}: ${formatIssues(result.issues)}.`);
  return result.output;
}

/** Finds `.spec-kitty/tracker.json` in `start` or the nearest parent directory. */
export function findConfigPath(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, CONFIG_DIR, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Where the config is or would be: `--config`, else the nearest one found, else `<cwd>/.spec-kitty/tracker.json`. */
export function configPathFor(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) return resolve(cwd, explicit);
  return findConfigPath(cwd) ?? join(resolve(cwd), CONFIG_DIR, CONFIG_FILE);
}

function projectDirOf(configPath: string): string {
  const dir = dirname(configPath);
  return dir.endsWith(CONFIG_DIR) ? dirname(dir) : dir;
}

/** Reads and validates the config at `path`; a missing or invalid file is a `UsageError` saying how to fix it. */
export function loadConfig(path: string): LoadedConfig {
  if (!existsSync(path)) {
    throw new UsageError(
      `No tracker config at ${path}. Run \`spec-kitty-tracker init --provider <id> --workspace <ws>\` first (or \`spec-kitty-tracker demo\` to try it without one).`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`Config ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  return { config: parseConfig(data, path), path, projectDir: projectDirOf(path) };
}

/** Writes atomically (temp file + rename); refuses anything that looks like a credential. */
export function saveConfig(path: string, config: TrackerConfig): void {
  const checked = parseConfig(config, path);
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o644 });
  renameSync(temp, path);
}

export function storePathOf(loaded: LoadedConfig): string {
  // A postgres:// store belongs to `worker` and `bindings`; resolving it as a file would create
  // a directory named after the URL.
  if (/^postgres(ql)?:\/\//i.test(loaded.config.store)) {
    throw new UsageError(
      `The config's store is a PostgreSQL URL, which only \`worker\` and \`bindings\` use; this command needs a SQLite file. Register the tracker with \`bindings add\` and run \`worker\`, or set "store" back to a file path.`,
    );
  }
  return resolve(loaded.projectDir, loaded.config.store);
}

/** Opens the project's SQLite store with the configured durability. */
export function openProjectStore(loaded: LoadedConfig): SqliteIssueStore {
  return SqliteIssueStore.open(storePathOf(loaded), { synchronous: loaded.config.storeDurability });
}

/** The checkpoint scope and journal scope of a binding, e.g. `github:octo/hello`. */
export function scopeOf(config: TrackerConfig): string {
  return `${config.provider ?? 'none'}:${config.workspace ?? 'default'}`;
}

export function policyOf(config: TrackerConfig): OwnershipPolicy {
  switch (config.policy.mode) {
    case OwnershipMode.SPEC_KITTY_AUTHORITATIVE:
      return OwnershipPolicy.localAuthoritative();
    case OwnershipMode.SPLIT_OWNERSHIP:
      return OwnershipPolicy.split({
        fieldOwners: config.policy.fieldOwners,
        defaultOwner: config.policy.defaultOwner,
      });
    default:
      return OwnershipPolicy.externalAuthoritative();
  }
}

/** Accepts the short names `external`, `local`, `split` besides the full mode values. */
export function parsePolicyMode(text: string): OwnershipMode {
  const aliases: Record<string, OwnershipMode> = {
    external: OwnershipMode.EXTERNAL_AUTHORITATIVE,
    local: OwnershipMode.SPEC_KITTY_AUTHORITATIVE,
    split: OwnershipMode.SPLIT_OWNERSHIP,
  };
  const mode = aliases[text] ?? (Object.values(OwnershipMode) as string[]).find((value) => value === text);
  if (mode === undefined) {
    throw new UsageError(
      `--policy must be external, local or split (or ${Object.values(OwnershipMode).join(', ')}), got ${JSON.stringify(text)}.`,
    );
  }
  return mode as OwnershipMode;
}
