// Deletion and move detection for known Azure DevOps work items (`checkGone`). One
// `workitemsbatch` per 200 ids (`errorPolicy: omit`: a missing item comes back as null, the call
// still succeeds) reads `System.TeamProject`: an item now in another project was moved ("Move to
// team project" keeps the id). A null item is looked up in the project's recycle bin (one listing
// per call): there, it is deleted. One that is not there either was destroyed or never readable:
// a single GET must answer 404 (TF401232) before it counts as deleted. Every other failure throws.
import {
  ConnectorRequestError,
  createRef,
  createTombstone,
  type ExternalRef,
  type IssueTombstone,
  TrackerContractError,
} from '@spec-kitty/core';
import { isHttpStatus, mapBounded } from '@spec-kitty/core/http';
import type { AzureWorkItemPayload } from './azure-api-schemas';
import { AZURE_BATCH_SIZE } from './azure-batch';
import { AZURE_SYSTEM } from './azure-mapping';

/** Ids per `workitemsbatch` (the service's maximum). */
export const CHECK_GONE_BATCH = AZURE_BATCH_SIZE;
/** Single GETs in flight for items neither listed nor in the recycle bin. */
const SINGLE_READ_CONCURRENCY = 4;

/** What `checkAzureGone` needs from the connector. */
export interface AzureGoneDeps {
  readonly organization: string;
  readonly project: string;
  /** `org/project`: every ref's workspace. */
  readonly workspace: string;
  /** `workitemsbatch` with `errorPolicy: omit`: one entry (or null) per id, in order. */
  batch(ids: readonly number[], signal?: AbortSignal): Promise<readonly (AzureWorkItemPayload | null)[]>;
  /** Ids in the project's recycle bin. */
  recycleBin(signal?: AbortSignal): Promise<ReadonlySet<number>>;
  /** GET one work item; throws the HTTP client's errors (404 when it does not exist). */
  get(id: number, signal?: AbortSignal): Promise<AzureWorkItemPayload>;
}

function teamProjectOf(item: AzureWorkItemPayload): string | null {
  const value = item.fields?.['System.TeamProject'];
  return typeof value === 'string' ? value : null;
}

/** A `moved` tombstone when `item` now lives in another project, else null (live here). */
function movedTombstone(
  deps: AzureGoneDeps,
  ref: ExternalRef,
  item: AzureWorkItemPayload,
  observedAt: string,
): IssueTombstone | null {
  const project = teamProjectOf(item);
  if (project === null || project.toLowerCase() === deps.project.toLowerCase()) return null;
  const movedTo = createRef({
    system: AZURE_SYSTEM,
    workspace: `${deps.organization}/${project}`,
    id: ref.id,
    key: ref.id,
    url: item.url ?? null,
  });
  return createTombstone({ ref, reason: 'moved', movedTo, observedAt });
}

/** Tombstones of the refs that are deleted (recycle bin, destroyed) or moved to another project. */
export async function checkAzureGone(
  deps: AzureGoneDeps,
  refs: readonly ExternalRef[],
  signal?: AbortSignal,
): Promise<IssueTombstone[]> {
  for (const ref of refs) {
    if (ref.workspace !== deps.workspace || !/^\d+$/.test(ref.id)) {
      throw new TrackerContractError(
        `Azure DevOps checkGone takes refs of ${deps.workspace} with a work item id, got ${ref.workspace}:${ref.id}; use a connector bound to that project and the refs it returned.`,
        { provider: AZURE_SYSTEM, kind: 'ref', fieldPath: 'ref', reason: 'REF-001' },
      );
    }
  }
  const observedAt = new Date().toISOString();
  const byRef = new Map<ExternalRef, IssueTombstone | null>();
  const missing: ExternalRef[] = [];
  for (let start = 0; start < refs.length; start += CHECK_GONE_BATCH) {
    const chunk = refs.slice(start, start + CHECK_GONE_BATCH);
    const items = await deps.batch(
      chunk.map((ref) => Number(ref.id)),
      signal,
    );
    if (items.length !== chunk.length) {
      throw new ConnectorRequestError(
        `Azure DevOps workitemsbatch answered ${items.length} entries for ${chunk.length} ids; cannot tell which work items are gone.`,
        { provider: AZURE_SYSTEM },
      );
    }
    for (const [index, ref] of chunk.entries()) {
      const item = items[index] ?? null;
      if (item === null) missing.push(ref);
      else byRef.set(ref, movedTombstone(deps, ref, item, observedAt));
    }
  }
  if (missing.length > 0) {
    const bin = await deps.recycleBin(signal);
    const unexplained = missing.filter((ref) => !bin.has(Number(ref.id)));
    for (const ref of missing)
      if (bin.has(Number(ref.id))) byRef.set(ref, createTombstone({ ref, reason: 'deleted', observedAt }));
    await mapBounded(unexplained, SINGLE_READ_CONCURRENCY, async (ref) => {
      try {
        byRef.set(ref, movedTombstone(deps, ref, await deps.get(Number(ref.id), signal), observedAt));
      } catch (error) {
        if (!isHttpStatus(error, 404)) throw error;
        byRef.set(ref, createTombstone({ ref, reason: 'deleted', observedAt }));
      }
    });
  }
  return refs.map((ref) => byRef.get(ref) ?? null).filter((tombstone) => tombstone !== null);
}
