import {
  createLocalExecutionContext,
  type LocalExecutionContext,
  validateConnectorConfig,
} from '@spec-kitty/core';
import * as v from 'valibot';

const nonEmpty = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`));

const optionalText = v.nullish(v.string());

/** A plain `LocalExecutionContext` (actor and repository required), rebuilt with the core factory. */
export const localExecutionContextSchema = v.pipe(
  v.object({
    actor: nonEmpty('context.actor'),
    repository: nonEmpty('context.repository'),
    team: optionalText,
    missionId: optionalText,
    taskId: optionalText,
  }),
  v.transform((context): LocalExecutionContext => createLocalExecutionContext(context)),
);

export const beadsConfigSchema = v.strictObject({
  /** `ExternalRef.workspace` of every issue (default 'beads'). */
  workspace: v.optional(nonEmpty('workspace'), 'beads'),
  /** The bd executable: a name on PATH or a full path (default 'bd'). */
  command: v.optional(nonEmpty('command'), 'bd'),
  /** Directory bd runs in (the repository holding `.beads/`); default the host's cwd. */
  cwd: v.optional(v.nullable(nonEmpty('cwd')), null),
  /** Scoped execution context; when set, an explicit runner is required (fail closed). */
  context: v.optional(v.nullable(localExecutionContextSchema), null),
  /** Timeout of the default subprocess runner, in ms (default 30 000). */
  timeoutMs: v.optional(
    v.pipe(v.number('timeoutMs must be a number'), v.minValue(1, 'timeoutMs must be at least 1')),
    30_000,
  ),
});

export type BeadsConnectorConfigInput = v.InferInput<typeof beadsConfigSchema>;
export type BeadsConnectorConfig = v.InferOutput<typeof beadsConfigSchema>;

/** Validates config input (defaults filled); bad input → `ConnectorConfigError` naming each field. */
export function resolveBeadsConfig(input: BeadsConnectorConfigInput = {}): BeadsConnectorConfig {
  return validateConnectorConfig({ id: 'beads', configSchema: beadsConfigSchema }, input);
}
