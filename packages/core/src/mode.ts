import { ModelValidationError } from './errors/errors';
import { type ConnectorRegistry, globalConnectorRegistry } from './registry/plugin-registry';
import { pyListRepr, pyRepr, pyStrip } from './util/python-text';

/** The original's two tracker modes: through the Nango proxy, or a local CLI. */
export const TrackerMode = {
  /** Reached through the Nango proxy. */
  HOSTED: 'hosted',
  /** Driven through a CLI on this machine. */
  LOCAL: 'local',
} as const;
/** `'hosted'` or `'local'`. */
export type TrackerMode = (typeof TrackerMode)[keyof typeof TrackerMode];

/**
 * A set whose mutators throw, so a provider taxonomy cannot be widened at runtime (a `ReadonlySet`
 * type alone stops only TypeScript callers; `HOSTED_PROVIDERS.add('clickup')` from JS would
 * otherwise make an unknown provider "hosted" for the whole process).
 */
class FrozenProviderSet extends Set<string> {
  constructor(values: Iterable<string>) {
    // An empty super() call: the Set constructor would otherwise route the values through the
    // overridden (throwing) add().
    super();
    for (const value of values) super.add(value);
    Object.freeze(this);
  }

  override add(value: string): this {
    throw new TypeError(`provider sets are immutable: cannot add ${JSON.stringify(value)}`);
  }

  override delete(value: string): boolean {
    throw new TypeError(`provider sets are immutable: cannot delete ${JSON.stringify(value)}`);
  }

  override clear(): void {
    throw new TypeError('provider sets are immutable: cannot clear');
  }
}

/** The original's hosted providers (a registered definition with hosted facts is hosted too). */
export const HOSTED_PROVIDERS: ReadonlySet<string> = new FrozenProviderSet([
  'linear',
  'jira',
  'github',
  'gitlab',
]);
/** The original's local (CLI-driven) providers. */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new FrozenProviderSet(['beads', 'fp']);
/** The original's provider taxonomy: hosted ∪ local. */
export const ALL_KNOWN_PROVIDERS: ReadonlySet<string> = new FrozenProviderSet([
  ...HOSTED_PROVIDERS,
  ...LOCAL_PROVIDERS,
]);

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'dict' : typeof value;
}

/** Where `providerMode` and friends look up connector definitions (default: the global registry). */
export interface ProviderModeOptions {
  /** The registry to look definitions up in (default: the global one). */
  registry?: ConnectorRegistry;
}

/** The mode a registered definition declares: hosted facts → hosted, `mode: 'local'` → local. */
function registeredMode(slug: string, registry: ConnectorRegistry): TrackerMode | null {
  if (!registry.has(slug)) return null;
  const definition = registry.get(slug);
  if (definition.hosted !== undefined) return TrackerMode.HOSTED;
  if (definition.mode === 'local') return TrackerMode.LOCAL;
  return null;
}

/**
 * The original's `provider_mode`: the taxonomy's providers, plus any registered definition with
 * hosted facts (hosted) or `mode: 'local'` (local). Anything else throws the original's message.
 */
export function providerMode(provider: unknown, options: ProviderModeOptions = {}): TrackerMode {
  if (typeof provider !== 'string') {
    throw new ModelValidationError(`provider must be a string, got ${pythonTypeName(provider)}`);
  }
  const slug = pyStrip(provider).toLowerCase();
  if (slug === '') throw new ModelValidationError('provider slug must not be empty');
  if (HOSTED_PROVIDERS.has(slug)) return TrackerMode.HOSTED;
  if (LOCAL_PROVIDERS.has(slug)) return TrackerMode.LOCAL;
  const registered = registeredMode(slug, options.registry ?? globalConnectorRegistry());
  if (registered !== null) return registered;
  const known = pyListRepr([...ALL_KNOWN_PROVIDERS].sort());
  throw new ModelValidationError(`unknown tracker provider: ${pyRepr(provider)}. Known providers: ${known}`);
}

/** `providerMode(provider) === 'hosted'` (throws for an unknown provider, as the original). */
export function isHostedProvider(provider: unknown, options: ProviderModeOptions = {}): boolean {
  return providerMode(provider, options) === TrackerMode.HOSTED;
}

/** `providerMode(provider) === 'local'` (throws for an unknown provider, as the original). */
export function isLocalProvider(provider: unknown, options: ProviderModeOptions = {}): boolean {
  return providerMode(provider, options) === TrackerMode.LOCAL;
}
