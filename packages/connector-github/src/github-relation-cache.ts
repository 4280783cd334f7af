import type { CanonicalLink } from '@spec-kitty/core';
import type { GitHubIssuePayload } from './github-api-schemas';
import { relationCounts } from './github-mapping';

/** Issues whose relations one connector remembers (the oldest entry goes first). */
export const RELATION_CACHE_SIZE = 5000;

/**
 * The relations last read for each issue, with the `updated_at` and relation counts they were
 * read at. An incremental pull lists again every issue inside its overlap window; while an
 * issue's `updated_at` and counts are those of the last read, its relations are taken from here
 * instead of costing another read per relation kind. Per connector instance, like the ETag cache.
 */
export class GitHubRelationCache {
  readonly #entries = new Map<string, { stamp: string; links: readonly CanonicalLink[] }>();
  readonly #capacity: number;

  constructor(capacity = RELATION_CACHE_SIZE) {
    this.#capacity = capacity;
  }

  /** The relations read for this very version of the issue, or undefined. */
  get(workspace: string, payload: GitHubIssuePayload): readonly CanonicalLink[] | undefined {
    const entry = this.#entries.get(keyOf(workspace, payload));
    return entry !== undefined && entry.stamp === stampOf(payload) ? entry.links : undefined;
  }

  set(workspace: string, payload: GitHubIssuePayload, links: readonly CanonicalLink[]): void {
    const key = keyOf(workspace, payload);
    this.#entries.delete(key);
    this.#entries.set(key, { stamp: stampOf(payload), links });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

function keyOf(workspace: string, payload: GitHubIssuePayload): string {
  return `${workspace}#${payload.number}`;
}

function stampOf(payload: GitHubIssuePayload): string {
  const counts = relationCounts(payload);
  return `${payload.updated_at ?? ''} ${counts.children} ${counts.blockedBy} ${counts.blocking}`;
}
