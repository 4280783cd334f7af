// Hosted mode (through the Nango proxy): params carry no credentials; the token field gets the
// sentinel the original used, and the proxy injects the real authentication.
import { ConnectorConfigError, type JsonValue, NANGO_MANAGED_TOKEN } from '@spec-kitty/core';
import { DEFAULT_MAX_PAGES } from '@spec-kitty/core/http';
import * as v from 'valibot';
import {
  DEFAULT_GITHUB_BASE_URL,
  DEFAULT_MARKER_INDEX_TTL_SECONDS,
  DEFAULT_OVERLAP_SECONDS,
  type GitHubConnectorConfig,
} from './github-config';

const required = (field: string) =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.trim(),
    v.nonEmpty(
      `${field} must not be empty (the GitHub ${field === 'owner' ? 'user or organisation login' : 'repository name'})`,
    ),
  );

/** What a host passes as GitHub hosted (Nango) params: no credentials. */
export interface GitHubHostedParamsInput {
  /** Repository owner (user or organisation login). */
  owner: string;
  /** Repository name. */
  repo: string;
  /** REST API root (default `https://api.github.com`). */
  baseUrl?: string | undefined;
}

/** `GitHubHostedParams` of the original: owner, repo (required), baseUrl (default https://api.github.com). */
export interface GitHubHostedParams {
  /** Repository owner (user or organisation login), trimmed. */
  owner: string;
  /** Repository name, trimmed. */
  repo: string;
  /** REST API root. */
  baseUrl: string;
}

/** Validates hosted params (owner and repo non-blank, baseUrl an absolute URL). */
export const githubHostedParamsSchema = v.strictObject({
  owner: required('owner'),
  repo: required('repo'),
  baseUrl: v.optional(
    v.pipe(v.string('baseUrl must be a string'), v.url('baseUrl must be an absolute URL')),
    DEFAULT_GITHUB_BASE_URL,
  ),
}) satisfies v.GenericSchema<GitHubHostedParamsInput, GitHubHostedParams>;

function pyListRepr(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/** The hosted block of the GitHub definition: params → config plus the hosted facts. */
export const githubHosted = {
  paramsSchema: githubHostedParamsSchema,
  requiredConnectorParams: ['owner', 'repo'],
  nangoProviderKey: 'github',
  discoveryBaseUrl: 'https://api.github.com',
  toConfig(params: GitHubHostedParams): GitHubConnectorConfig {
    return {
      owner: params.owner,
      repo: params.repo,
      token: NANGO_MANAGED_TOKEN,
      baseUrl: params.baseUrl ?? DEFAULT_GITHUB_BASE_URL,
      overlapSeconds: DEFAULT_OVERLAP_SECONDS,
      writeIntervalMs: 0,
      markerIndexTtlSeconds: DEFAULT_MARKER_INDEX_TTL_SECONDS,
      maxPages: DEFAULT_MAX_PAGES,
    };
  },
  /** Discovery `connector_params` -> params: requires owner and repo; a `base_url` key is ignored (as the original). */
  paramsFromConnectorParams(params: Readonly<Record<string, JsonValue>>): GitHubHostedParams {
    const missing = ['owner', 'repo'].filter((key) => !(key in params));
    if (missing.length > 0)
      throw new ConnectorConfigError(`Missing required connector_params keys: ${pyListRepr(missing)}`);
    return { owner: String(params.owner), repo: String(params.repo), baseUrl: DEFAULT_GITHUB_BASE_URL };
  },
};
