import { ModelValidationError } from './errors/errors';
import { pyListRepr, pyRepr, pyStrip } from './util/python-text';

export const TrackerMode = { HOSTED: 'hosted', LOCAL: 'local' } as const;
export type TrackerMode = (typeof TrackerMode)[keyof typeof TrackerMode];

export const HOSTED_PROVIDERS: ReadonlySet<string> = new Set(['linear', 'jira', 'github', 'gitlab']);
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(['beads', 'fp']);
export const ALL_KNOWN_PROVIDERS: ReadonlySet<string> = new Set([...HOSTED_PROVIDERS, ...LOCAL_PROVIDERS]);

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
