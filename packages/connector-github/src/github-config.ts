import { parseConnectorConfig } from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';

/** GitHub.com's REST API root (the default `baseUrl`). */
export const DEFAULT_GITHUB_BASE_URL = 'https://api.github.com';
/** The original's message when owner, repo or token is blank. */
export const GITHUB_REQUIRED_MESSAGE = 'GitHub owner, repo, and token are required';
/** Default look-back subtracted from `updatedSince` on incremental pulls (clock skew, index lag). */
export const DEFAULT_OVERLAP_SECONDS = 60;
/** Default lifetime of `findCreatedIssue`'s marker index. */
export const DEFAULT_MARKER_INDEX_TTL_SECONDS = 60;

const requiredString = v.pipe(
  v.string(GITHUB_REQUIRED_MESSAGE),
  v.trim(),
  v.nonEmpty(GITHUB_REQUIRED_MESSAGE),
);

/**
 * What users write for the GitHub connector (`createConnector('github', …)`, `new GitHubConnector(…)`).
 * Only `owner`, `repo` and `token` are required.
 */
export interface GitHubConnectorConfigInput {
  /** Repository owner (user or organisation login). */
  owner: string;
  /** Repository name. */
  repo: string;
  /** Personal access token, GitHub App installation token, or `nango-managed` in hosted mode. */
  token: string;
  /** REST API root (default `https://api.github.com`); GitHub Enterprise Server uses `https://<host>/api/v3`. */
  baseUrl?: string | undefined;
  /** Seconds subtracted from `updatedSince` on incremental pulls (default 60). */
  overlapSeconds?: number | undefined;
  /** Minimum milliseconds between writes (default 0; GitHub recommends 1000 for bulk writes). */
  writeIntervalMs?: number | undefined;
  /** How long `findCreatedIssue` trusts its index of idempotency markers (default 60 s; 0 = always rescan). */
  markerIndexTtlSeconds?: number | undefined;
  /** Most pages one call walks (e.g. an issue's blockers) before failing with `PageWalkLimitError` (default 1000). */
  maxPages?: number | undefined;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number | undefined;
}

/** The validated GitHub connector config: defaults filled, strings trimmed, `baseUrl` without a trailing slash. */
export interface GitHubConnectorConfig {
  /** Repository owner (user or organisation login), trimmed. */
  owner: string;
  /** Repository name, trimmed. */
  repo: string;
  /** Personal access token, GitHub App installation token, or `nango-managed` in hosted mode. */
  token: string;
  /** REST API root without a trailing slash. */
  baseUrl: string;
  /** Seconds subtracted from `updatedSince` on incremental pulls. */
  overlapSeconds: number;
  /** Minimum milliseconds between writes. */
  writeIntervalMs: number;
  /** How long `findCreatedIssue` trusts its index of idempotency markers, in seconds. */
  markerIndexTtlSeconds: number;
  /** Most pages one call walks before failing with `PageWalkLimitError`. */
  maxPages: number;
  /** Per-request timeout in milliseconds (unset: the HTTP client's 30 000). */
  timeoutMs?: number | undefined;
}

/** Config of the GitHub connector (valibot; validated on `createConnector('github', …)`). */
export const githubConfigSchema = v.strictObject({
  owner: requiredString,
  repo: requiredString,
  token: requiredString,
  baseUrl: v.optional(
    v.pipe(
      v.string('baseUrl must be a string'),
      v.trim(),
      v.url('baseUrl must be an absolute URL such as https://api.github.com'),
      v.transform((url) => url.replace(/\/+$/, '')),
    ),
    DEFAULT_GITHUB_BASE_URL,
  ),
  overlapSeconds: v.optional(
    v.pipe(
      v.number('overlapSeconds must be a number'),
      v.integer('overlapSeconds must be an integer'),
      v.minValue(0, 'overlapSeconds must be >= 0'),
    ),
    DEFAULT_OVERLAP_SECONDS,
  ),
  writeIntervalMs: v.optional(
    v.pipe(
      v.number('writeIntervalMs must be a number'),
      v.integer('writeIntervalMs must be an integer'),
      v.minValue(0, 'writeIntervalMs must be >= 0'),
    ),
    0,
  ),
  markerIndexTtlSeconds: v.optional(
    v.pipe(
      v.number('markerIndexTtlSeconds must be a number'),
      v.integer('markerIndexTtlSeconds must be an integer'),
      v.minValue(0, 'markerIndexTtlSeconds must be >= 0'),
    ),
    DEFAULT_MARKER_INDEX_TTL_SECONDS,
  ),
  maxPages: v.optional(
    v.pipe(
      v.number('maxPages must be a number'),
      v.integer('maxPages must be an integer'),
      v.minValue(1, 'maxPages must be >= 1'),
    ),
    DEFAULT_MAX_PAGES,
  ),
  timeoutMs: v.optional(
    v.pipe(v.number('timeoutMs must be a number'), v.integer(), v.minValue(1, 'timeoutMs must be >= 1')),
  ),
}) satisfies v.GenericSchema<GitHubConnectorConfigInput, GitHubConnectorConfig>;

/**
 * Validates `input` with `githubConfigSchema` through core's `parseConnectorConfig`. A blank or
 * missing owner, repo or token throws the original's message alone; any other problem names the
 * field (never its value).
 */
export function parseGitHubConfig(input: GitHubConnectorConfigInput): GitHubConnectorConfig {
  return parseConnectorConfig('github', githubConfigSchema, input, { aloneMessage: GITHUB_REQUIRED_MESSAGE });
}
