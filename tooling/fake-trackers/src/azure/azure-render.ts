/** Work items as the service renders them: fields (all or selected), relations and links by `$expand`. */
import type { FakeRequest } from '../server/fake-server';
import { type AzureRouteContext, itemUrl } from './azure-route-context';
import type { AzureWorkItem } from './azure-state';

function selectFields(item: AzureWorkItem, fields: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = { ...item.fields, 'System.Rev': item.rev };
  if (!fields || fields.length === 0) return all;
  return Object.fromEntries(
    fields
      .filter((name) => name === 'System.Id' || name in all)
      .map((name) => [name, name === 'System.Id' ? item.id : all[name]]),
  );
}

/** `item` as JSON, with `expand` (none, relations, links, all) and an optional field list. */
export function renderWorkItem(
  context: AzureRouteContext,
  request: FakeRequest,
  item: AzureWorkItem,
  expand: string,
  fields?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: item.id, rev: item.rev, fields: selectFields(item, fields) };
  const lower = expand.toLowerCase();
  if ((lower === 'relations' || lower === 'all') && item.relations.length > 0)
    out.relations = item.relations.map((relation) => ({
      ...relation,
      attributes: { ...relation.attributes },
    }));
  if (lower === 'links' || lower === 'all')
    out._links = { self: { href: itemUrl(context, request, item.id) } };
  out.url = itemUrl(context, request, item.id);
  return out;
}

/** A field's value as WIQL compares it (identities by unique name; id and rev included). */
export function fieldValue(item: AzureWorkItem, field: string): unknown {
  if (field === 'System.Id') return item.id;
  if (field === 'System.Rev') return item.rev;
  const value = item.fields[field];
  if (value && typeof value === 'object' && 'uniqueName' in value)
    return (value as { uniqueName: string }).uniqueName;
  return value;
}
