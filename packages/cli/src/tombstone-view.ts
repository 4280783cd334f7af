import { type IssueTombstone, refIdentity, type TombstoneRecord } from '@spec-kitty/core';

/** A tombstone in JSON output: identities instead of refs, `origin`/`pushed` when the store knows them. */
export function tombstoneToJSON(tombstone: IssueTombstone | TombstoneRecord) {
  return {
    issue: refIdentity(tombstone.ref),
    reason: tombstone.reason,
    movedTo: tombstone.movedTo ? refIdentity(tombstone.movedTo) : null,
    observedAt: tombstone.observedAt,
    ...('origin' in tombstone && { origin: tombstone.origin, pushed: tombstone.pushed }),
  };
}

/** `deleted`, `archived`, `moved to github:octo/other:7`: what happened on the tracker. */
export function describeGone(tombstone: IssueTombstone): string {
  if (tombstone.reason === 'moved')
    return tombstone.movedTo ? `moved to ${refIdentity(tombstone.movedTo)}` : 'moved (destination unknown)';
  return tombstone.reason;
}

/** The `gone` column of `issues list`: where a tombstone comes from and whether it was pushed. */
export function describeTombstone(record: TombstoneRecord): string {
  if (record.origin === 'remote') return describeGone(record);
  return record.pushed ? 'deleted locally, closed on tracker' : 'deleted locally, push closes it';
}
