import { type CanonicalIssue, refIdentity } from '@spec-kitty/core';
import type { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { UsageError } from './exit-codes';

/**
 * Finds a stored issue by full identity (`system:workspace:id`), key (`#12`, `PROJ-3`) or id,
 * preferring the bound provider's issues. Ambiguous or unknown references are usage errors.
 */
export async function findStoredIssue(
  store: SqliteIssueStore,
  reference: string,
  provider: string | undefined,
): Promise<CanonicalIssue> {
  const all = await store.listIssues();
  const exact = all.find((issue) => refIdentity(issue.ref) === reference);
  if (exact) return exact;
  const pool = provider === undefined ? all : all.filter((issue) => issue.ref.system === provider);
  const matches = pool.filter((issue) => issue.ref.key === reference || issue.ref.id === reference);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UsageError(
      `${JSON.stringify(reference)} matches ${matches.length} issues (${matches.map((issue) => refIdentity(issue.ref)).join(', ')}); use the full identity.`,
    );
  }
  throw new UsageError(
    `No issue ${JSON.stringify(reference)} in the local store. Run \`spec-kitty-tracker pull\` first, or give the full identity system:workspace:id (see \`spec-kitty-tracker issues\`).`,
  );
}
