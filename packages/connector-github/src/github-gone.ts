// Deletion and transfer detection for known GitHub issues (`checkGone`). GitHub has no bulk REST
// read by number, so each ref is one bounded-concurrency GET:
// - 410 Gone: the issue was deleted;
// - 404: deleted too, but only once the repository itself still answers (a repository the token
//   lost access to also answers 404 for every issue, and must not read as mass deletion);
// - a transferred issue answers 301 to its new home; fetch follows it, and the issue that comes
//   back names another repository (`repository_url`) or number: moved, with `movedTo`.
// Anything else (401/403, 5xx, timeouts, rate limits) propagates: it is never a deletion.
import {
  ConnectorRequestError,
  createTombstone,
  type ExternalRef,
  type IssueTombstone,
} from '@spec-kitty/core';
import { isHttpStatus, mapBounded } from '@spec-kitty/core/http';
import { GITHUB_SYSTEM, githubRef } from './github-mapping';

/** Parallel GETs of one `checkGone` call. */
export const CHECK_GONE_CONCURRENCY = 4;

/** What `checkGitHubGone` needs from the connector. */
export interface GitHubGoneDeps {
  /** GET `path` (with `query`); resolves with the JSON body, throws the HTTP client's errors. */
  get(path: string, query: Record<string, string | number>, signal?: AbortSignal): Promise<unknown>;
  /** The REST path of the issue `ref` names. */
  issuePath(ref: ExternalRef): string;
  /** `owner/repo` of `ref` (the connector's own repository for a bare number). */
  workspaceOf(ref: ExternalRef): string;
}

type Probe = { kind: 'exists' } | { kind: 'gone'; tombstone: IssueTombstone } | { kind: 'not-found' };

/** `owner/repo` and number of an issue API URL or path (`…/repos/{owner}/{repo}/issues/{n}`). */
export function parseIssueLocation(url: string): { workspace: string; number: number } | null {
  const match = /\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)(?:[?#].*)?$/.exec(url);
  if (!match) return null;
  return {
    workspace: `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}`,
    number: Number(match[3]),
  };
}

/** `owner/repo` of a repository API URL (`…/repos/{owner}/{repo}`). */
function repositoryOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const match = /\/repos\/([^/]+)\/([^/]+?)\/?$/.exec(url);
  return match ? `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}` : null;
}

function sameWorkspace(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}

async function probe(
  deps: GitHubGoneDeps,
  ref: ExternalRef,
  observedAt: string,
  signal?: AbortSignal,
): Promise<Probe> {
  const workspace = deps.workspaceOf(ref);
  let body: unknown;
  try {
    body = await deps.get(deps.issuePath(ref), {}, signal);
  } catch (error) {
    if (isHttpStatus(error, 410)) {
      return { kind: 'gone', tombstone: createTombstone({ ref, reason: 'deleted', observedAt }) };
    }
    if (isHttpStatus(error, 404)) return { kind: 'not-found' };
    throw error;
  }
  const row = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const number = typeof row.number === 'number' ? row.number : null;
  const home =
    repositoryOf(row.repository_url) ?? parseIssueLocation(String(row.url ?? ''))?.workspace ?? null;
  if (number === null || home === null) {
    throw new ConnectorRequestError(
      `GitHub answered GET ${deps.issuePath(ref)} without the issue's number and repository_url; cannot tell whether ${ref.id} was transferred.`,
      { provider: GITHUB_SYSTEM },
    );
  }
  if (sameWorkspace(home, workspace) && String(number) === ref.id.trim()) return { kind: 'exists' };
  const movedTo = githubRef(home, number, typeof row.html_url === 'string' ? row.html_url : null);
  return { kind: 'gone', tombstone: createTombstone({ ref, reason: 'moved', movedTo, observedAt }) };
}

/**
 * Tombstones of the refs that are definitively gone (see the file comment); refs that exist are
 * omitted. A 404 counts only when the issue's repository still lists issues.
 */
export async function checkGitHubGone(
  deps: GitHubGoneDeps,
  refs: readonly ExternalRef[],
  signal?: AbortSignal,
): Promise<IssueTombstone[]> {
  const observedAt = new Date().toISOString();
  const probes = await mapBounded(refs, CHECK_GONE_CONCURRENCY, (ref) =>
    probe(deps, ref, observedAt, signal),
  );
  const readable = new Map<string, boolean>();
  const tombstones: IssueTombstone[] = [];
  for (const [index, result] of probes.entries()) {
    const ref = refs[index] as ExternalRef;
    if (result.kind === 'gone') tombstones.push(result.tombstone);
    if (result.kind !== 'not-found') continue;
    const workspace = deps.workspaceOf(ref);
    const key = workspace.toLowerCase();
    if (!readable.has(key)) readable.set(key, await repositoryAnswers(deps, workspace, signal));
    if (!readable.get(key)) {
      throw new ConnectorRequestError(
        `GitHub repository ${workspace} answered 404: the issues cannot be told deleted from an unreadable repository. Check that the repository exists and the token can read it.`,
        { provider: GITHUB_SYSTEM, statusCode: 404 },
      );
    }
    tombstones.push(createTombstone({ ref, reason: 'deleted', observedAt }));
  }
  return tombstones;
}

async function repositoryAnswers(
  deps: GitHubGoneDeps,
  workspace: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const [owner, repo] = workspace.split('/');
  try {
    await deps.get(
      `/repos/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(repo ?? '')}/issues`,
      { state: 'all', per_page: 1 },
      signal,
    );
    return true;
  } catch (error) {
    if (isHttpStatus(error, [404, 410])) return false;
    throw error;
  }
}
