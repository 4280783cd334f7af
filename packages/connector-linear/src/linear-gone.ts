// What a Linear issue that left the team reads as. Linear archives (`archivedAt`) and trashes
// (`issueDelete`: archived and `trashed`, restorable for 30 days, then purged); an issue moved to
// another team keeps its id and gets the other team's identifier.
import { createTombstone, type ExternalRef, type IssueTombstone } from '@spec-kitty/core';
import type { LinearGoneNode } from './linear-api-schemas';
import { linearRef } from './linear-mapping';

/** A node's archive state: `deleted` when trashed, `archived` when archived, else null (live). */
export function archiveReason(node: {
  archivedAt?: string | null;
  trashed?: boolean | null;
}): 'deleted' | 'archived' | null {
  if (node.trashed === true) return 'deleted';
  if (typeof node.archivedAt === 'string' && node.archivedAt !== '') return 'archived';
  return null;
}

/** The tombstone of a listed node that is archived or trashed, else null. */
export function listedTombstone(
  node: {
    id: string;
    identifier: string | null;
    url: string | null;
    archivedAt?: string | null;
    trashed?: boolean | null;
  },
  workspace: string,
  observedAt: string,
): IssueTombstone | null {
  const reason = archiveReason(node);
  if (reason === null) return null;
  return createTombstone({
    ref: linearRef(workspace, node.id, node.identifier, node.url),
    reason,
    observedAt,
  });
}

/**
 * The tombstone of a known ref given the `CheckGone` answer for it: missing → deleted (purged),
 * trashed → deleted, archived → archived, in another team → moved (`movedTo` is the same issue id
 * under its new identifier), else null (live in `teamId`).
 */
export function checkedTombstone(
  ref: ExternalRef,
  node: LinearGoneNode | undefined,
  teamId: string,
  observedAt: string,
): IssueTombstone | null {
  if (node === undefined) return createTombstone({ ref, reason: 'deleted', observedAt });
  const reason = archiveReason(node);
  if (reason !== null) return createTombstone({ ref, reason, observedAt });
  if (node.team.id === teamId) return null;
  return createTombstone({
    ref,
    reason: 'moved',
    movedTo: linearRef(ref.workspace, node.id, node.identifier, node.url),
    observedAt,
  });
}
