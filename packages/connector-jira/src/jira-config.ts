import { CanonicalStatus, parseConnectorConfig } from '@spec-kitty/core';
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
  v.transform((map) => map as JiraStatusNameMap),
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

/** Canonical status → Jira status name: the destination of the transition `updateIssue` picks. */
export interface JiraStatusNameMap {
  /** Jira status name for `todo`. */
  todo?: string | undefined;
  /** Jira status name for `in_progress`. */
  in_progress?: string | undefined;
  /** Jira status name for `in_review`. */
  in_review?: string | undefined;
  /** Jira status name for `blocked`. */
  blocked?: string | undefined;
  /** Jira status name for `done`. */
  done?: string | undefined;
  /** Jira status name for `canceled`. */
  canceled?: string | undefined;
}

/** What users write for the Jira connector: baseUrl, email, apiToken, projectKey and optional mappings. */
export interface JiraConnectorConfigInput {
  /** Site (`https://your-domain.atlassian.net`) or OAuth base (`https://api.atlassian.com/ex/jira/{cloudId}`); also `ExternalRef.workspace`. */
  baseUrl: string;
  /** Atlassian account email (Basic auth user), or `nango-managed` in hosted mode. */
  email: string;
  /** Atlassian API token, or `nango-managed` in hosted mode. */
  apiToken: string;
  /** Project key, e.g. `PROJ`. */
  projectKey: string;
  /** Jira issue type used for canonical `task` and `chore` (default "Task"). */
  defaultIssueType?: string | undefined;
  /** Canonical status → Jira status name (destination of the transition to pick). */
  statusNameMap?: JiraStatusNameMap | undefined;
  /** Custom field holding `customFields.spec_kitty_mission` (e.g. `customfield_10042`)… */
  specKittyMissionFieldId?: string | null | undefined;
  /** …or its display name, resolved once through `GET /rest/api/3/field`. */
  specKittyMissionFieldName?: string | null | undefined;
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number | undefined;
}

/** The validated Jira connector config (defaults filled, `baseUrl` and `projectKey` trimmed). */
export interface JiraConnectorConfig {
  /** Site or OAuth base URL without a trailing slash; also `ExternalRef.workspace`. */
  baseUrl: string;
  /** Atlassian account email, or `nango-managed` in hosted mode. */
  email: string;
  /** Atlassian API token, or `nango-managed` in hosted mode. */
  apiToken: string;
  /** Project key, trimmed. */
  projectKey: string;
  /** Jira issue type used for canonical `task` and `chore`. */
  defaultIssueType: string;
  /** Canonical status → Jira status name (empty: the default names). */
  statusNameMap: JiraStatusNameMap;
  /** Custom field id holding `customFields.spec_kitty_mission`, or null. */
  specKittyMissionFieldId: string | null;
  /** Display name of that custom field, or null. */
  specKittyMissionFieldName: string | null;
  /** Per-request timeout in ms (unset: the HTTP client's 30 000). */
  timeoutMs?: number | undefined;
}

/** Config of the Jira connector (valibot; validated by the constructor and `createConnector('jira', …)`). */
export const jiraConfigSchema = v.strictObject({
  baseUrl: v.pipe(
    requiredTrimmed('baseUrl must be a string, e.g. https://your-domain.atlassian.net'),
    v.transform((url) => url.replace(/\/+$/, '')),
  ),
  email: v.string('email must be a string (the Atlassian account email)'),
  apiToken: v.string('apiToken must be a string (an Atlassian API token)'),
  projectKey: requiredTrimmed('projectKey must be a string, e.g. "PROJ"'),
  defaultIssueType: v.optional(
    v.pipe(v.string(), v.trim(), v.nonEmpty('defaultIssueType must not be empty')),
    JIRA_DEFAULT_ISSUE_TYPE,
  ),
  statusNameMap: v.optional(statusNameMapSchema, {}),
  specKittyMissionFieldId: optionalName('specKittyMissionFieldId'),
  specKittyMissionFieldName: optionalName('specKittyMissionFieldName'),
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
}) satisfies v.GenericSchema<JiraConnectorConfigInput, JiraConnectorConfig>;

/**
 * Validates `input` with `jiraConfigSchema` through core's `parseConnectorConfig`. A blank base
 * URL or project key throws the original's message alone; any other problem names the field (never
 * its value).
 */
export function parseJiraConfig(input: JiraConnectorConfigInput): JiraConnectorConfig {
  return parseConnectorConfig('jira', jiraConfigSchema, input, { aloneMessage: JIRA_REQUIRED_MESSAGE });
}
