// `POST {project}/_apis/wit/workitemsbatch`: work items by id, at most 200 per request, with
// `errorPolicy: omit` (a missing or unreadable item is a null entry; the call still succeeds).
// The listing, `checkGone` and `getIssues` all read work items this way.
import type { HttpClient } from '@spec-kitty/core';
import { type AzureWorkItemPayload, azureWorkItemBatchSchema } from './azure-api-schemas';

/** Ids per `workitemsbatch` request (the service's maximum). */
export const AZURE_BATCH_SIZE = 200;

/** What to read of each item: chosen fields, or every field with the relations (never both). */
export type WorkItemSelection = { readonly fields: readonly string[] } | { readonly expand: 'relations' };

/** Where the batch goes: the project's path segment and the API version. */
export interface WorkItemsBatchTarget {
  readonly projectPath: string;
  readonly apiVersion: string;
}

/**
 * One entry per id, in request order (null for an item that does not exist): `ceil(ids / 200)`
 * requests, none for no ids. Any failed request throws (never a partial answer).
 */
export async function readWorkItemsBatch(
  http: HttpClient,
  target: WorkItemsBatchTarget,
  ids: readonly number[],
  selection: WorkItemSelection,
  signal?: AbortSignal,
): Promise<(AzureWorkItemPayload | null)[]> {
  // The service refuses `fields` together with `$expand`, so relations come with all fields.
  const select = 'fields' in selection ? { fields: [...selection.fields] } : { $expand: selection.expand };
  const out: (AzureWorkItemPayload | null)[] = [];
  for (let start = 0; start < ids.length; start += AZURE_BATCH_SIZE) {
    const chunk = ids.slice(start, start + AZURE_BATCH_SIZE);
    const response = await http.request({
      method: 'POST',
      path: `${target.projectPath}/_apis/wit/workitemsbatch`,
      query: { 'api-version': target.apiVersion },
      json: { ids: chunk, ...select, errorPolicy: 'omit' },
      schema: azureWorkItemBatchSchema,
      idempotent: true,
      ...(signal ? { signal } : {}),
    });
    out.push(...response.data.value);
  }
  return out;
}
