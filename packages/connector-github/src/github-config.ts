import { ConnectorConfigError, parseConnectorConfig } from '@spec-kitty/core';
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

/** Config of the GitHub connector (valibot; validated on `createConnector('github', …)`). */
export const githubConfigSchema = v.strictObject({
  /** Repository owner (user or organisation login). */
  owner: requiredString,
  /** Repository name. */
  repo: requiredString,
  /** Personal access token, GitHub App installation token, or `nango-managed` in hosted mode. */
  token: requiredString,
  /** REST API root; GitHub Enterprise Server uses `https://<host>/api/v3`. */
  baseUrl: v.optional(
    v.pipe(
      v.string('baseUrl must be a string'),
      v.trim(),
      v.url('baseUrl must be an absolute URL such as https://api.github.com'),
      v.transform((url) => url.replace(/\/+$/, '')),
    ),
    DEFAULT_GITHUB_BASE_URL,
  ),
  /** Seconds subtracted from `updatedSince` on incremental pulls (default 60). */
  overlapSeconds: v.optional(
    v.pipe(
      v.number('overlapSeconds must be a number'),
      v.integer('overlapSeconds must be an integer'),
      v.minValue(0, 'overlapSeconds must be >= 0'),
    ),
    DEFAULT_OVERLAP_SECONDS,
  ),
  /** Minimum milliseconds between writes (default 0; GitHub recommends 1000 for bulk writes). */
  writeIntervalMs: v.optional(
    v.pipe(
      v.number('writeIntervalMs must be a number'),
      v.integer('writeIntervalMs must be an integer'),
      v.minValue(0, 'writeIntervalMs must be >= 0'),
    ),
    0,
  ),
  /** How long `findCreatedIssue` trusts its index of idempotency markers (default 60 s; 0 = always rescan). */
  markerIndexTtlSeconds: v.optional(
    v.pipe(
      v.number('markerIndexTtlSeconds must be a number'),
      v.integer('markerIndexTtlSeconds must be an integer'),
      v.minValue(0, 'markerIndexTtlSeconds must be >= 0'),
    ),
    DEFAULT_MARKER_INDEX_TTL_SECONDS,
  ),
  /** Most pages one call walks (e.g. an issue's blockers) before failing with `PageWalkLimitError` (default 1000). */
  maxPages: v.optional(
    v.pipe(
      v.number('maxPages must be a number'),
      v.integer('maxPages must be an integer'),
      v.minValue(1, 'maxPages must be >= 1'),
    ),
    DEFAULT_MAX_PAGES,
  ),
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs: v.optional(
    v.pipe(v.number('timeoutMs must be a number'), v.integer(), v.minValue(1, 'timeoutMs must be >= 1')),
  ),
});

/** What users write for the GitHub connector (`createConnector('github', …)`, `new GitHubConnector(…)`). */
export type GitHubConnectorConfigInput = v.InferInput<typeof githubConfigSchema>;
/** The validated GitHub connector config: defaults filled, strings trimmed, `baseUrl` without a trailing slash. */
export type GitHubConnectorConfig = v.InferOutput<typeof githubConfigSchema>;

/**
 * Validates `input` with `githubConfigSchema` through core's `parseConnectorConfig`. A blank or
 * missing owner, repo or token throws the original's message alone; any other problem names the
 * field (never its value).
 */
export function parseGitHubConfig(input: GitHubConnectorConfigInput): GitHubConnectorConfig {
  try {
    return parseConnectorConfig('github', githubConfigSchema, input);
  } catch (error) {
    if (
      ConnectorConfigError.isInstance(error) &&
      error.issues.some((issue) => issue.message === GITHUB_REQUIRED_MESSAGE)
    )
      throw new ConnectorConfigError(GITHUB_REQUIRED_MESSAGE);
    throw error;
  }
}
