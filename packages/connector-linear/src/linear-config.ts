import { CanonicalStatus } from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';

/** Linear's GraphQL endpoint, the default `graphqlUrl`. */
export const LINEAR_GRAPHQL_URL = 'https://api.linear.app/graphql';
/** Default `overlapMs`: how far before `updatedSince` an incremental pull starts (clock skew). */
export const DEFAULT_OVERLAP_MS = 1000;
/** The original's message when the key or the team is missing. */
export const LINEAR_REQUIRED_MESSAGE = 'Linear api_key and team_id are required';

const statusMapping = v.record(
  v.picklist(Object.values(CanonicalStatus), 'statusToStateId keys must be canonical statuses'),
  v.pipe(
    v.string('statusToStateId values must be Linear workflow state ids'),
    v.nonEmpty('state ids must not be empty'),
  ),
);

/** The fields a direct config and the hosted params share (workspace, graphqlUrl, statusToStateId). */
export const linearSharedConfigFields = {
  workspace: v.optional(
    v.pipe(v.string('workspace must be a string'), v.trim(), v.nonEmpty('workspace must not be empty')),
    'linear',
  ),
  graphqlUrl: v.optional(
    v.pipe(v.string('graphqlUrl must be a string'), v.url('graphqlUrl must be a URL')),
    LINEAR_GRAPHQL_URL,
  ),
  statusToStateId: v.optional(statusMapping, {}),
};

/** Canonical status → Linear workflow state id (statuses left out are resolved from the team's states). */
export type LinearStatusMapping = Readonly<Partial<Record<CanonicalStatus, string>>>;

/** What a user writes to configure Linear (`apiKey` and `teamId` required; the rest defaulted). */
export interface LinearConnectorConfigInput {
  /** Linear API key or OAuth token (`nango-managed` in hosted mode). */
  apiKey: string;
  /** The Linear team id whose issues this connector reads and writes. */
  teamId: string;
  /** `ExternalRef.workspace` of every issue (default "linear"). */
  workspace?: string | undefined;
  /** GraphQL endpoint (default `https://api.linear.app/graphql`). */
  graphqlUrl?: string | undefined;
  /** Canonical status → workflow state id, for statuses the team's states cannot resolve alone. */
  statusToStateId?: Partial<Record<CanonicalStatus, string>> | undefined;
  /** How far before `updatedSince` incremental pulls start, in ms (default 1000; absorbs clock skew). */
  overlapMs?: number | undefined;
  /** Most pages one call walks (an issue's or the team's labels) before `PageWalkLimitError` (default 1000). */
  maxPages?: number | undefined;
}

/** apiKey and teamId (required, non-blank), workspace ('linear'), graphqlUrl, statusToStateId, overlapMs, maxPages. */
export const linearConfigSchema = v.pipe(
  v.strictObject({
    apiKey: v.string('apiKey must be a string (a Linear API key or OAuth token)'),
    teamId: v.string('teamId must be a string (the Linear team id)'),
    ...linearSharedConfigFields,
    overlapMs: v.optional(
      v.pipe(v.number('overlapMs must be a number'), v.integer(), v.minValue(0, 'overlapMs must be >= 0')),
      DEFAULT_OVERLAP_MS,
    ),
    maxPages: v.optional(
      v.pipe(
        v.number('maxPages must be a number'),
        v.integer('maxPages must be an integer'),
        v.minValue(1, 'maxPages must be >= 1'),
      ),
      DEFAULT_MAX_PAGES,
    ),
  }),
  v.check((config) => config.apiKey.trim() !== '' && config.teamId.trim() !== '', LINEAR_REQUIRED_MESSAGE),
) satisfies v.GenericSchema<LinearConnectorConfigInput, LinearConnectorConfig>;

/** Validated Linear connector config (defaults filled; see `LinearConnectorConfigInput`). */
export interface LinearConnectorConfig {
  /** Linear API key or OAuth token (`nango-managed` in hosted mode). */
  readonly apiKey: string;
  /** The Linear team id. */
  readonly teamId: string;
  /** `ExternalRef.workspace` of every issue (default "linear"). */
  readonly workspace: string;
  /** GraphQL endpoint. */
  readonly graphqlUrl: string;
  /** Canonical status → workflow state id (empty: resolved from the team's states). */
  readonly statusToStateId: LinearStatusMapping;
  /** How far before `updatedSince` incremental pulls start (default 1000 ms; absorbs clock skew). */
  readonly overlapMs: number;
  /** Most pages one call walks (an issue's or the team's labels) before `PageWalkLimitError` (default 1000). */
  readonly maxPages?: number;
}
