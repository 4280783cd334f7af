import * as v from 'valibot';

/** `ExternalRef.system` of every in-memory issue, and the connector's default `name`. */
export const MEMORY_DEFAULT_NAME = 'memory';

const nonEmpty = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`));

/** What a user writes to configure an in-memory tracker (`workspace` is required). */
export interface InMemoryConnectorConfigInput {
  /** `ExternalRef.system` of every issue (default 'memory'). */
  name?: string | undefined;
  /** `ExternalRef.workspace` of every issue; give each in-memory tracker its own. */
  workspace: string;
  /** Largest page `listIssues` serves (unset: any `limit`, the engine's default). */
  maxPageSize?: number | undefined;
}

/** Validated in-memory connector config (defaults filled). */
export interface InMemoryConnectorConfig {
  /** `ExternalRef.system` of every issue. */
  name: string;
  /** `ExternalRef.workspace` of every issue. */
  workspace: string;
  /** Largest page `listIssues` serves (unset: any `limit`). */
  maxPageSize?: number | undefined;
}

/** name ('memory'), workspace (required), maxPageSize (none: any `limit`, the engine's default). */
export const memoryConfigSchema = v.strictObject(
  {
    name: v.optional(nonEmpty('name'), MEMORY_DEFAULT_NAME),
    // Required, with no shared fallback: two trackers that both omitted it would otherwise serve
    // the same identities (`memory:memory:<id>`).
    workspace: nonEmpty('workspace'),
    maxPageSize: v.optional(
      v.pipe(
        v.number('maxPageSize must be a number'),
        v.integer('maxPageSize must be a positive integer'),
        v.minValue(1, 'maxPageSize must be a positive integer'),
      ),
    ),
  },
  (issue) =>
    issue.received === 'undefined' && issue.expected === '"workspace"'
      ? 'workspace is required: give each in-memory tracker its own workspace (there is no shared fallback)'
      : issue.expected === 'never'
        ? 'unknown config key'
        : `invalid config (expected ${issue.expected})`,
) satisfies v.GenericSchema<InMemoryConnectorConfigInput, InMemoryConnectorConfig>;
