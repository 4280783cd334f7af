import { CanonicalIssueType, parseConnectorConfig } from '@spec-kitty/core';
import { localCliConfigEntries } from '@spec-kitty/core/process';
import * as v from 'valibot';

/** workspace ('fp'), command ('fp'), cwd (the repository holding `.fp/`), context, timeoutMs, defaultIssueType. */
export const fpConfigSchema = v.strictObject({
  ...localCliConfigEntries({ workspace: 'fp', command: 'fp' }),
  /** Issue type of every fp issue (fp has no types; default 'task'). */
  defaultIssueType: v.optional(
    v.picklist(Object.values(CanonicalIssueType), 'defaultIssueType must be a CanonicalIssueType'),
    CanonicalIssueType.TASK,
  ),
});

/** What a user writes to configure fp (every field optional). */
export type FPConnectorConfigInput = v.InferInput<typeof fpConfigSchema>;
/** Validated fp connector config (defaults filled). */
export type FPConnectorConfig = v.InferOutput<typeof fpConfigSchema>;

/** Validates config input (defaults filled); bad input → `ConnectorConfigError` naming each field. */
export function resolveFPConfig(input: FPConnectorConfigInput = {}): FPConnectorConfig {
  return parseConnectorConfig('fp', fpConfigSchema, input);
}
