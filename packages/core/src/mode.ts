import { ModelValidationError } from './errors/errors';
import { pyListRepr, pyRepr, pyStrip } from './util/python-text';

export const TrackerMode = { HOSTED: 'hosted', LOCAL: 'local' } as const;
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

export const HOSTED_PROVIDERS: ReadonlySet<string> = new FrozenProviderSet([
  'linear',
  'jira',
  'github',
  'gitlab',
]);
export const LOCAL_PROVIDERS: ReadonlySet<string> = new FrozenProviderSet(['beads', 'fp']);
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

export function providerMode(provider: unknown): TrackerMode {
  if (typeof provider !== 'string') {
    throw new ModelValidationError(`provider must be a string, got ${pythonTypeName(provider)}`);
  }
  const slug = pyStrip(provider).toLowerCase();
  if (slug === '') throw new ModelValidationError('provider slug must not be empty');
  if (HOSTED_PROVIDERS.has(slug)) return TrackerMode.HOSTED;
  if (LOCAL_PROVIDERS.has(slug)) return TrackerMode.LOCAL;
  const known = pyListRepr([...ALL_KNOWN_PROVIDERS].sort());
  throw new ModelValidationError(`unknown tracker provider: ${pyRepr(provider)}. Known providers: ${known}`);
}

export function isHostedProvider(provider: unknown): boolean {
  return providerMode(provider) === TrackerMode.HOSTED;
}

export function isLocalProvider(provider: unknown): boolean {
  return providerMode(provider) === TrackerMode.LOCAL;
}
