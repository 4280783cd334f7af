import { parseConnectorConfig } from '@spec-kitty/core';
import { localCliConfigEntries } from '@spec-kitty/core/process';
import * as v from 'valibot';

/** workspace ('beads'), command ('bd'), cwd (the repository holding `.beads/`), context, timeoutMs (30 000). */
export const beadsConfigSchema = v.strictObject(localCliConfigEntries({ workspace: 'beads', command: 'bd' }));

/** What a user writes to configure Beads (every field optional). */
export type BeadsConnectorConfigInput = v.InferInput<typeof beadsConfigSchema>;
/** Validated Beads connector config (defaults filled). */
export type BeadsConnectorConfig = v.InferOutput<typeof beadsConfigSchema>;

/** Validates config input (defaults filled); bad input → `ConnectorConfigError` naming each field. */
export function resolveBeadsConfig(input: BeadsConnectorConfigInput = {}): BeadsConnectorConfig {
  return parseConnectorConfig('beads', beadsConfigSchema, input);
}
