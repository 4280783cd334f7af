import { UsageError } from './exit-codes';

/** `--priority 0-4|none` → a priority, null for none, undefined when the flag is absent. */
export function parsePriority(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const priority = /^\d$/.test(value) ? Number(value) : Number.NaN;
  if (!(priority >= 0 && priority <= 4))
    throw new UsageError(`--priority must be 0..4 or none, got ${JSON.stringify(value)}.`);
  return priority;
}
