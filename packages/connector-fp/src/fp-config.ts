import { CanonicalIssueType, type LocalExecutionContext, parseConnectorConfig } from '@spec-kitty/core';
import { type LocalExecutionContextInput, localCliConfigEntries } from '@spec-kitty/core/process';
import * as v from 'valibot';

/** What a user writes to configure fp (every field optional). */
export interface FPConnectorConfigInput {
  /** `ExternalRef.workspace` of every issue (default 'fp'). */
  workspace?: string | undefined;
  /** The executable: a name on PATH or a full path (default 'fp'). */
  command?: string | undefined;
  /** Directory the CLI runs in (the repository holding `.fp/`); null: the host's cwd. */
  cwd?: string | null | undefined;
  /** Scoped execution context; when set, an explicit runner is required (fail closed). */
  context?: LocalExecutionContextInput | null | undefined;
  /** Timeout of the default subprocess runner, in ms (default 30 000). */
  timeoutMs?: number | undefined;
  /** Issue type of every fp issue (fp has no types; default 'task'). */
  defaultIssueType?: CanonicalIssueType | undefined;
}

/** Validated fp connector config (defaults filled). */
export interface FPConnectorConfig {
  /** `ExternalRef.workspace` of every issue. */
  workspace: string;
  /** The executable: a name on PATH or a full path. */
  command: string;
  /** Directory the CLI runs in (the repository holding `.fp/`); null: the host's cwd. */
  cwd: string | null;
  /** Scoped execution context; when set, an explicit runner is required (fail closed). */
  context: LocalExecutionContext | null;
  /** Timeout of the default subprocess runner, in ms. */
  timeoutMs: number;
  /** Issue type of every fp issue (fp has no types). */
  defaultIssueType: CanonicalIssueType;
}

/** workspace ('fp'), command ('fp'), cwd (the repository holding `.fp/`), context, timeoutMs, defaultIssueType. */
export const fpConfigSchema = v.strictObject({
  ...localCliConfigEntries({ workspace: 'fp', command: 'fp' }),
  defaultIssueType: v.optional(
    v.picklist(Object.values(CanonicalIssueType), 'defaultIssueType must be a CanonicalIssueType'),
    CanonicalIssueType.TASK,
  ),
}) satisfies v.GenericSchema<FPConnectorConfigInput, FPConnectorConfig>;

/** Validates config input (defaults filled); bad input → `ConnectorConfigError` naming each field. */
export function resolveFPConfig(input: FPConnectorConfigInput = {}): FPConnectorConfig {
  return parseConnectorConfig('fp', fpConfigSchema, input);
}
