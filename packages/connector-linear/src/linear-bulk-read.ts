// Reads of many issues by id: `issues(first: n, filter: { id: { in: ids } })`, one query per
// chunk of ids. `checkGone`, `getIssues` and the listing's relations follow-up all read this way;
// each passes its own document (selection) and chunk size (what one node costs).
import type { HttpClient } from '@spec-kitty/core';
import type { GenericSchema } from 'valibot';
import { linearGraphql } from './linear-graphql';

/** One bulk read: the document and how many ids it takes per query. */
export interface IssuesByIdRead<N> {
  operationName: string;
  /** A query declaring `$first: Int!` and `$filter: IssueFilter`, over `issues { nodes { … } }`. */
  query: string;
  schema: GenericSchema<unknown, { issues: { nodes: N[] } }>;
  /** Ids per query: at most 250 (Linear's page cap), fewer when a node is costly. */
  batchSize: number;
  /** Further variables of a query of `first` ids (e.g. inline connection sizes). */
  variables?: (first: number) => Readonly<Record<string, unknown>>;
  signal?: AbortSignal | undefined;
}

/** Linear issue ids are UUIDs; an identifier (`ENG-12`) never matches the `id` filter. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isLinearIssueId(id: string): boolean {
  return UUID.test(id);
}

/**
 * The nodes of the issues `ids` name that exist (any order; each id asked once): `ceil(unique ids
 * / batchSize)` queries, none for no ids. Any failed query throws (never a partial answer).
 */
export async function readIssuesById<N>(
  http: HttpClient,
  ids: readonly string[],
  read: IssuesByIdRead<N>,
): Promise<N[]> {
  const unique = [...new Set(ids)];
  const nodes: N[] = [];
  for (let start = 0; start < unique.length; start += read.batchSize) {
    const chunk = unique.slice(start, start + read.batchSize);
    const data = await linearGraphql(http, {
      operationName: read.operationName,
      query: read.query,
      variables: { ...read.variables?.(chunk.length), first: chunk.length, filter: { id: { in: chunk } } },
      schema: read.schema,
      ...(read.signal ? { signal: read.signal } : {}),
    });
    nodes.push(...data.issues.nodes);
  }
  return nodes;
}
