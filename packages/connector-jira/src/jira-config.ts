import { CanonicalStatus, ConnectorConfigError, parseConnectorConfig } from '@spec-kitty/core';
import * as v from 'valibot';

/** The original's message when the base URL or project key is blank. */
export const JIRA_REQUIRED_MESSAGE = 'Jira base_url and project_key are required';
/** Jira issue type used for canonical `task` and `chore` unless configured. */
export const JIRA_DEFAULT_ISSUE_TYPE = 'Task';

/** Canonical status → Jira status name (destination of the transition to pick). */
export const statusNameMapSchema = v.pipe(
  v.record(
    v.picklist(Object.values(CanonicalStatus), 'statusNameMap keys must be canonical statuses'),
    v.string('statusNameMap values must be Jira status names'),
  ),
  v.transform((map) => map as Partial<Record<CanonicalStatus, string>>),
);

/** An optional, non-blank name (null when absent). */
export const optionalName = (field: string) =>
  v.optional(
    v.nullable(
      v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`)),
    ),
    null,
  );

const requiredTrimmed = (message: string) =>
  v.pipe(v.string(message), v.trim(), v.nonEmpty(JIRA_REQUIRED_MESSAGE));

/** Config of the Jira connector (valibot; validated by the constructor and `createConnector('jira', …)`). */
export const jiraConfigSchema = v.strictObject({
  /** Site (`https://your-domain.atlassian.net`) or OAuth base (`https://api.atlassian.com/ex/jira/{cloudId}`); also `ExternalRef.workspace`. */
  baseUrl: v.pipe(
    requiredTrimmed('baseUrl must be a string, e.g. https://your-domain.atlassian.net'),
    v.transform((url) => url.replace(/\/+$/, '')),
  ),
  /** Atlassian account email (Basic auth user), or `nango-managed` in hosted mode. */
  email: v.string('email must be a string (the Atlassian account email)'),
  /** Atlassian API token, or `nango-managed` in hosted mode. */
  apiToken: v.string('apiToken must be a string (an Atlassian API token)'),
  /** Project key, e.g. `PROJ`. */
  projectKey: requiredTrimmed('projectKey must be a string, e.g. "PROJ"'),
  /** Jira issue type used for canonical `task` and `chore` (default "Task"). */
  defaultIssueType: v.optional(
    v.pipe(v.string(), v.trim(), v.nonEmpty('defaultIssueType must not be empty')),
    JIRA_DEFAULT_ISSUE_TYPE,
  ),
  /** Canonical status → Jira status name (destination of the transition to pick). */
  statusNameMap: v.optional(statusNameMapSchema, {}),
  /** Custom field holding `customFields.spec_kitty_mission` (e.g. `customfield_10042`)… */
  specKittyMissionFieldId: optionalName('specKittyMissionFieldId'),
  /** …or its display name, resolved once through `GET /rest/api/3/field`. */
  specKittyMissionFieldName: optionalName('specKittyMissionFieldName'),
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

/** What users write for the Jira connector: baseUrl, email, apiToken, projectKey and optional mappings. */
export type JiraConnectorConfigInput = v.InferInput<typeof jiraConfigSchema>;
/** The validated Jira connector config (defaults filled, `baseUrl` and `projectKey` trimmed). */
export type JiraConnectorConfig = v.InferOutput<typeof jiraConfigSchema>;

/**
 * Validates `input` with `jiraConfigSchema` through core's `parseConnectorConfig`. A blank base
 * URL or project key throws the original's message alone; any other problem names the field (never
 * its value).
 */
export function parseJiraConfig(input: JiraConnectorConfigInput): JiraConnectorConfig {
  try {
    return parseConnectorConfig('jira', jiraConfigSchema, input);
  } catch (error) {
    if (
      ConnectorConfigError.isInstance(error) &&
      error.issues.some((issue) => issue.message === JIRA_REQUIRED_MESSAGE)
    )
      throw new ConnectorConfigError(JIRA_REQUIRED_MESSAGE);
    throw error;
  }
}
