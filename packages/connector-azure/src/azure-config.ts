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

/** organization and project (required), personalAccessToken, baseUrl, statusMap, overlapSeconds, maxPages. */
export const azureConfigSchema = v.strictObject({
  organization: required,
  project: required,
  /** Not validated for emptiness (as the original); a wrong PAT fails with `authentication`. */
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
});

/** What a user writes to configure Azure DevOps (organization, project and PAT; the rest defaulted). */
export type AzureDevOpsConnectorConfigInput = v.InferInput<typeof azureConfigSchema>;

/** Validated Azure DevOps connector config (defaults filled). */
export interface AzureDevOpsConnectorConfig {
  readonly organization: string;
  readonly project: string;
  readonly personalAccessToken: string;
  readonly baseUrl: string;
  readonly statusMap: AzureStatusMap;
  /** Seconds subtracted from `updatedSince` on incremental pulls (default 1). */
  readonly overlapSeconds?: number;
  /** Most WIQL windows one `listIssues` call walks past empty ones before `PageWalkLimitError` (default 1000). */
  readonly maxPages?: number;
}
