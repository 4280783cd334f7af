import { CanonicalStatus, parseConnectorConfig } from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';

/** GitLab.com's REST API root (the default `baseUrl`). */
export const GITLAB_DEFAULT_BASE_URL = 'https://gitlab.com/api/v4';
/** The original's message when the project id or token is blank. */
export const GITLAB_REQUIRED_MESSAGE = 'GitLab project_id and token are required';
/** Default look-back subtracted from `updatedSince` on incremental pulls. */
export const GITLAB_DEFAULT_OVERLAP_SECONDS = 1;

const required = v.pipe(v.string(GITLAB_REQUIRED_MESSAGE), v.trim(), v.nonEmpty(GITLAB_REQUIRED_MESSAGE));
const labelName = v.pipe(
  v.string('statusLabels values must be label names'),
  v.trim(),
  v.nonEmpty('statusLabels values must not be empty'),
  v.check((label) => !label.includes(','), 'statusLabels values cannot contain commas'),
);

/** Label per canonical status for the statuses GitLab cannot hold (opened/closed only). */
export interface GitLabStatusLabels {
  /** Label written with, and read back as, `todo`. */
  todo?: string | undefined;
  /** Label written with, and read back as, `in_progress`. */
  in_progress?: string | undefined;
  /** Label written with, and read back as, `in_review`. */
  in_review?: string | undefined;
  /** Label written with, and read back as, `blocked`. */
  blocked?: string | undefined;
  /** Label written with, and read back as, `done`. */
  done?: string | undefined;
  /** Label written with, and read back as, `canceled`. */
  canceled?: string | undefined;
}

/** What users write for the GitLab connector: projectId, token and optional tuning. */
export interface GitLabConnectorConfigInput {
  /** Numeric project id or `namespace/path` (URL-encoded by the connector). */
  projectId: string | number;
  /** Personal, project or group access token (`PRIVATE-TOKEN`), or `nango-managed` in hosted mode. */
  token: string;
  /** REST API root (default `https://gitlab.com/api/v4`); self-managed GitLab uses `https://<host>/api/v4`. */
  baseUrl?: string | undefined;
  /**
   * Labels that carry statuses GitLab cannot (opened/closed only), e.g. `{ in_progress: 'doing' }`;
   * configured labels are written with the status and hidden from `labels`.
   */
  statusLabels?: GitLabStatusLabels | undefined;
  /**
   * Seconds subtracted from `updatedSince` on incremental pulls, so an issue committed with a
   * slightly older timestamp (clock skew, replication lag) is not missed. Default 1.
   */
  overlapSeconds?: number | undefined;
  /**
   * Read issue links into `CanonicalIssue.links` and the work-item parent into `parent` (default
   * true). One GraphQL request per listing page (`project.workItems(iids:)`, up to 100 issues),
   * and one per single-issue read or update; `false` reads neither (and projects both empty).
   */
  readLinks?: boolean | undefined;
  /** Most pages of issues sharing one `updated_at` a listing walks before `PageWalkLimitError` (default 1000). */
  maxPages?: number | undefined;
}

/** The validated GitLab connector config (defaults filled, `baseUrl` without a trailing slash). */
export interface GitLabConnectorConfig {
  /** Project id or `namespace/path`, as a trimmed string. */
  projectId: string;
  /** Access token, or `nango-managed` in hosted mode. */
  token: string;
  /** REST API root without a trailing slash. */
  baseUrl: string;
  /** Labels that carry statuses GitLab cannot (empty when none are configured). */
  statusLabels: GitLabStatusLabels;
  /** Seconds subtracted from `updatedSince` on incremental pulls. */
  overlapSeconds: number;
  /** Whether reads fill links and parent (one GraphQL request per page of up to 100 issues). */
  readLinks: boolean;
  /** Most pages of issues sharing one `updated_at` a listing walks before `PageWalkLimitError`. */
  maxPages: number;
}

/** Config of the GitLab connector (valibot; validated by the constructor and `createConnector('gitlab', …)`). */
export const gitLabConfigSchema = v.strictObject({
  projectId: v.pipe(
    v.union(
      [v.string(GITLAB_REQUIRED_MESSAGE), v.pipe(v.number(), v.integer(), v.transform(String))],
      GITLAB_REQUIRED_MESSAGE,
    ),
    v.trim(),
    v.nonEmpty(GITLAB_REQUIRED_MESSAGE),
  ),
  token: required,
  baseUrl: v.optional(
    v.pipe(
      v.string('baseUrl must be a string'),
      v.trim(),
      v.url('baseUrl must be an absolute URL such as https://gitlab.com/api/v4'),
      v.transform((url) => url.replace(/\/+$/, '')),
    ),
    GITLAB_DEFAULT_BASE_URL,
  ),
  statusLabels: v.optional(
    v.strictObject(
      Object.fromEntries(
        Object.values(CanonicalStatus).map((status) => [status, v.optional(labelName)]),
      ) as Record<CanonicalStatus, v.OptionalSchema<typeof labelName, undefined>>,
      'statusLabels keys must be canonical statuses (todo, in_progress, in_review, blocked, done, canceled)',
    ),
    {},
  ),
  overlapSeconds: v.optional(
    v.pipe(v.number('overlapSeconds must be a number'), v.minValue(0, 'overlapSeconds must be >= 0')),
    GITLAB_DEFAULT_OVERLAP_SECONDS,
  ),
  readLinks: v.optional(v.boolean('readLinks must be a boolean'), true),
  maxPages: v.optional(
    v.pipe(
      v.number('maxPages must be a number'),
      v.integer('maxPages must be an integer'),
      v.minValue(1, 'maxPages must be >= 1'),
    ),
    DEFAULT_MAX_PAGES,
  ),
}) satisfies v.GenericSchema<GitLabConnectorConfigInput, GitLabConnectorConfig>;

/**
 * Validates `input` with `gitLabConfigSchema` through core's `parseConnectorConfig`. A blank or
 * missing project id or token throws the original's message alone; any other problem names the
 * field (never its value).
 */
export function parseGitLabConfig(input: GitLabConnectorConfigInput): GitLabConnectorConfig {
  return parseConnectorConfig('gitlab', gitLabConfigSchema, input, { aloneMessage: GITLAB_REQUIRED_MESSAGE });
}
