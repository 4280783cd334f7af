import { type LocalExecutionContext, parseConnectorConfig } from '@spec-kitty/core';
import { type LocalExecutionContextInput, localCliConfigEntries } from '@spec-kitty/core/process';
import * as v from 'valibot';

/** What a user writes to configure Beads (every field optional). */
export interface BeadsConnectorConfigInput {
  /** `ExternalRef.workspace` of every issue (default 'beads'). */
  workspace?: string | undefined;
  /** The executable: a name on PATH or a full path (default 'bd'). */
  command?: string | undefined;
  /** Directory the CLI runs in (the repository holding `.beads/`); null: the host's cwd. */
  cwd?: string | null | undefined;
  /** Scoped execution context; when set, an explicit runner is required (fail closed). */
  context?: LocalExecutionContextInput | null | undefined;
  /** Timeout of the default subprocess runner, in ms (default 30 000). */
  timeoutMs?: number | undefined;
}

/** Validated Beads connector config (defaults filled). */
export interface BeadsConnectorConfig {
  /** `ExternalRef.workspace` of every issue. */
  workspace: string;
  /** The executable: a name on PATH or a full path. */
  command: string;
  /** Directory the CLI runs in (the repository holding `.beads/`); null: the host's cwd. */
  cwd: string | null;
  /** Scoped execution context; when set, an explicit runner is required (fail closed). */
  context: LocalExecutionContext | null;
  /** Timeout of the default subprocess runner, in ms. */
  timeoutMs: number;
}

/** workspace ('beads'), command ('bd'), cwd (the repository holding `.beads/`), context, timeoutMs (30 000). */
export const beadsConfigSchema = v.strictObject(
  localCliConfigEntries({ workspace: 'beads', command: 'bd' }),
) satisfies v.GenericSchema<BeadsConnectorConfigInput, BeadsConnectorConfig>;

/** Validates config input (defaults filled); bad input → `ConnectorConfigError` naming each field. */
export function resolveBeadsConfig(input: BeadsConnectorConfigInput = {}): BeadsConnectorConfig {
  return parseConnectorConfig('beads', beadsConfigSchema, input);
}
