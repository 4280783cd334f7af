import { CanonicalStatus } from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';
import type { AzureStatusMap } from './azure-mapping';

/** Azure DevOps Services, the default `baseUrl` (a Server/TFS collection URL works too). */
export const AZURE_DEFAULT_BASE_URL = 'https://dev.azure.com';
/** Default `overlapSeconds`: how far before `updatedSince` an incremental pull starts (clock skew). */
export const AZURE_DEFAULT_OVERLAP_SECONDS = 1;

const REQUIRED = 'Azure organization and project are required';
const required = v.pipe(v.string(REQUIRED), v.trim(), v.nonEmpty(REQUIRED));
const stateName = v.pipe(
  v.string('statusMap values must be state names'),
  v.trim(),
  v.nonEmpty('statusMap values must not be empty'),
);

/** What a user writes to configure Azure DevOps (organization, project and PAT; the rest defaulted). */
export interface AzureDevOpsConnectorConfigInput {
  /** The Azure DevOps organization (the first path segment of `https://dev.azure.com/<organization>`). */
  organization: string;
  /** The project whose work items this connector reads and writes. */
  project: string;
  /** Personal access token; not checked for emptiness (as the original): a wrong PAT fails with `authentication`. */
  personalAccessToken: string;
  /** Services or Server/TFS collection URL (default `https://dev.azure.com`). */
  baseUrl?: string | undefined;
  /** Canonical status → work item state name, overriding the Agile defaults. */
  statusMap?: Partial<Record<CanonicalStatus, string>> | undefined;
  /** Seconds subtracted from `updatedSince` on incremental pulls (default 1). */
  overlapSeconds?: number | undefined;
  /** Most WIQL windows one `listIssues` call walks past empty ones before `PageWalkLimitError` (default 1000). */
  maxPages?: number | undefined;
}

/** organization and project (required), personalAccessToken, baseUrl, statusMap, overlapSeconds, maxPages. */
export const azureConfigSchema = v.strictObject({
  organization: required,
  project: required,
  // Not validated for emptiness (as the original); a wrong PAT fails with `authentication`.
  personalAccessToken: v.string('personalAccessToken must be a string'),
  baseUrl: v.optional(
    v.pipe(
      v.string('baseUrl must be a string'),
      v.trim(),
      v.url('baseUrl must be an absolute URL such as https://dev.azure.com'),
    ),
    AZURE_DEFAULT_BASE_URL,
  ),
  statusMap: v.optional(
    v.strictObject(
      Object.fromEntries(
        Object.values(CanonicalStatus).map((status) => [status, v.optional(stateName)]),
      ) as Record<CanonicalStatus, v.OptionalSchema<typeof stateName, undefined>>,
      'statusMap keys must be canonical statuses (todo, in_progress, in_review, blocked, done, canceled)',
    ),
    {},
  ),
  overlapSeconds: v.optional(
    v.pipe(v.number('overlapSeconds must be a number'), v.minValue(0, 'overlapSeconds must be >= 0')),
    AZURE_DEFAULT_OVERLAP_SECONDS,
  ),
  maxPages: v.optional(
    v.pipe(
      v.number('maxPages must be a number'),
      v.integer('maxPages must be an integer'),
      v.minValue(1, 'maxPages must be >= 1'),
    ),
    DEFAULT_MAX_PAGES,
  ),
}) satisfies v.GenericSchema<AzureDevOpsConnectorConfigInput, AzureDevOpsConnectorConfig>;

/** Validated Azure DevOps connector config (defaults filled). */
export interface AzureDevOpsConnectorConfig {
  /** The Azure DevOps organization, trimmed. */
  readonly organization: string;
  /** The project, trimmed. */
  readonly project: string;
  /** Personal access token. */
  readonly personalAccessToken: string;
  /** Services or Server/TFS collection URL. */
  readonly baseUrl: string;
  /** Canonical status → work item state name (empty: the Agile defaults). */
  readonly statusMap: AzureStatusMap;
  /** Seconds subtracted from `updatedSince` on incremental pulls (default 1). */
  readonly overlapSeconds?: number;
  /** Most WIQL windows one `listIssues` call walks past empty ones before `PageWalkLimitError` (default 1000). */
  readonly maxPages?: number;
}
