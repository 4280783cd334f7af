/** JSON Patch (RFC 6902) documents for Azure DevOps work items (`application/json-patch+json`). */

export const JSON_PATCH_CONTENT_TYPE = 'application/json-patch+json';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string };

export function setField(field: string, value: unknown): JsonPatchOperation {
  return { op: 'add', path: `/fields/${field}`, value };
}

export function removeField(field: string): JsonPatchOperation {
  return { op: 'remove', path: `/fields/${field}` };
}

/** `test /rev`: the service applies the document only if the work item is still at `rev`. */
export function testRev(rev: number): JsonPatchOperation {
  return { op: 'test', path: '/rev', value: rev };
}

export function addRelation(rel: string, url: string): JsonPatchOperation {
  return { op: 'add', path: '/relations/-', value: { rel, url } };
}

export function removeRelation(index: number): JsonPatchOperation {
  return { op: 'remove', path: `/relations/${index}` };
}

export function addHyperlink(url: string, comment: string): JsonPatchOperation {
  return { op: 'add', path: '/relations/-', value: { rel: 'Hyperlink', url, attributes: { comment } } };
}
