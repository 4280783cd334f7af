// Azure DevOps service hook (Web Hooks consumer) deliveries, as documented at
// https://learn.microsoft.com/en-us/azure/devops/service-hooks/services/webhooks (the subscription
// sends HTTP Basic credentials and/or custom HTTP headers; nothing is signed) and
// https://learn.microsoft.com/en-us/azure/devops/service-hooks/events (workitem.created,
// workitem.updated with the update record and `revision`, workitem.deleted, workitem.commented;
// resource version 1.0). Identity fields are rendered as "Display Name <unique name>".
import type { AzureState, AzureWorkItem } from '../azure/azure-state';
import type { FakeWebhooks, WebhookFormat } from './fake-webhooks';
import { basicAuthorization } from './webhook-signatures';

/** Azure DevOps' delivery headers: Basic credentials (secret `username:password`) or the custom header. */
export const azureWebhookFormat: WebhookFormat = {
  headers({ subscription }) {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'VSServices/16.255.0',
    };
    if (subscription.header !== undefined) headers[subscription.header.toLowerCase()] = subscription.secret;
    else if (subscription.secret !== '') {
      const colon = subscription.secret.indexOf(':');
      headers.authorization =
        colon < 0
          ? basicAuthorization('', subscription.secret)
          : basicAuthorization(subscription.secret.slice(0, colon), subscription.secret.slice(colon + 1));
    }
    return headers;
  },
};

function baseUrl(state: AzureState): string {
  return `${state.webhookBaseUrl?.() ?? 'https://dev.azure.com'}/${state.organization}`;
}

function hookValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'uniqueName' in value && 'displayName' in value) {
    const identity = value as { displayName: string; uniqueName: string };
    return `${identity.displayName} <${identity.uniqueName}>`;
  }
  return value;
}

function hookFields(item: AzureWorkItem): Record<string, unknown> {
  const fields: Record<string, unknown> = { 'System.Id': item.id, 'System.Rev': item.rev };
  for (const [name, value] of Object.entries(item.fields))
    if (value !== undefined) fields[name] = hookValue(value);
  return fields;
}

function itemUrl(state: AzureState, id: number): string {
  return `${baseUrl(state)}/_apis/wit/workItems/${id}`;
}

function itemResource(state: AzureState, item: AzureWorkItem): Record<string, unknown> {
  const url = itemUrl(state, item.id);
  return {
    id: item.id,
    rev: item.rev,
    fields: hookFields(item),
    ...(item.relations.length > 0 ? { relations: item.relations.map((relation) => ({ ...relation })) } : {}),
    _links: {
      self: { href: url },
      workItemUpdates: { href: `${url}/updates` },
      workItemRevisions: { href: `${url}/revisions` },
      html: { href: `${baseUrl(state)}/web/wi.aspx?id=${item.id}` },
    },
    url,
  };
}

function envelope(
  state: AzureState,
  deliveryId: string,
  subscriptionId: string,
  eventType: string,
  item: AzureWorkItem,
  verb: string,
  resource: Record<string, unknown>,
): Record<string, unknown> {
  const type = String(item.fields['System.WorkItemType'] ?? 'Work item');
  const title = String(item.fields['System.Title'] ?? '');
  const text = `${type} #${item.id} (${title}) ${verb} by ${state.currentUser.displayName}`;
  const project = state.findProject(item.project);
  return {
    subscriptionId: `00000000-0000-4000-8000-${subscriptionId.padStart(12, '0').slice(-12)}`,
    notificationId: Number(subscriptionId),
    id: deliveryId,
    eventType,
    publisherId: 'tfs',
    message: { text, html: text, markdown: text },
    detailedMessage: { text, html: text, markdown: text },
    resource,
    resourceVersion: '1.0',
    resourceContainers: {
      collection: { id: '00000000-0000-0000-0000-00000000c011' },
      account: { id: '00000000-0000-0000-0000-00000000acc7' },
      ...(project ? { project: { id: project.id } } : {}),
    },
    createdDate: state.now().toISOString(),
  };
}

/** Sends `eventType` for `item` with `resource(item)`, to the hooks of `projects`. */
function send(
  hooks: FakeWebhooks,
  state: AzureState,
  eventType: string,
  item: AzureWorkItem,
  verb: string,
  resource: () => Record<string, unknown>,
  projects: readonly string[],
): void {
  hooks.emit(
    eventType,
    ({ deliveryId, subscription }) =>
      envelope(state, deliveryId, subscription.id, eventType, item, verb, resource()),
    projects,
  );
}

/**
 * Sends `workitem.created` for a seeded work item, once the current step is done and only if the
 * item is still the stored one (an API create seeds a draft, discards it and stores the patched copy).
 */
export function azureWorkItemSeeded(hooks: FakeWebhooks, state: AzureState, item: AzureWorkItem): void {
  if (!hooks.active) return;
  hooks.emitSoon(
    'workitem.created',
    ({ deliveryId, subscription }) =>
      envelope(
        state,
        deliveryId,
        subscription.id,
        'workitem.created',
        item,
        'created',
        itemResource(state, item),
      ),
    [item.project],
    () => state.workItems.get(item.id) === item,
  );
}

/** A copy of what `azureWorkItemSaved` compares (take it before changing the item). */
export function azureWorkItemBefore(item: AzureWorkItem | undefined): AzureWorkItem | undefined {
  return item === undefined
    ? undefined
    : { ...item, fields: { ...item.fields }, relations: item.relations.map((relation) => ({ ...relation })) };
}

/**
 * Sends what a saved revision means: `workitem.created` when there was no `before`, else
 * `workitem.updated` with the changed fields (oldValue/newValue) and relation changes.
 */
export function azureWorkItemSaved(
  hooks: FakeWebhooks,
  state: AzureState,
  item: AzureWorkItem,
  before: AzureWorkItem | undefined,
): void {
  if (!hooks.active) return;
  if (before === undefined) {
    send(hooks, state, 'workitem.created', item, 'created', () => itemResource(state, item), [item.project]);
    return;
  }
  const previous = hookFields(before);
  const current = hookFields(item);
  const fields: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(previous), ...Object.keys(current)]))
    if (JSON.stringify(previous[name]) !== JSON.stringify(current[name]))
      fields[name] = { oldValue: previous[name], newValue: current[name] };
  const key = (relation: { rel: string; url: string }) => `${relation.rel} ${relation.url}`;
  const had = new Set(before.relations.map(key));
  const has = new Set(item.relations.map(key));
  const added = item.relations.filter((relation) => !had.has(key(relation)));
  const removed = before.relations.filter((relation) => !has.has(key(relation)));
  if (Object.keys(fields).length === 0 && added.length === 0 && removed.length === 0) return;
  const url = itemUrl(state, item.id);
  send(
    hooks,
    state,
    'workitem.updated',
    item,
    'updated',
    () => ({
      id: item.rev,
      workItemId: item.id,
      rev: item.rev,
      revisedBy: { displayName: state.currentUser.displayName, uniqueName: state.currentUser.uniqueName },
      revisedDate: String(item.fields['System.ChangedDate'] ?? state.now().toISOString()),
      fields,
      ...(added.length > 0 || removed.length > 0
        ? {
            relations: { ...(added.length > 0 ? { added } : {}), ...(removed.length > 0 ? { removed } : {}) },
          }
        : {}),
      _links: { self: { href: `${url}/updates/${item.rev}` }, parent: { href: url } },
      url: `${url}/updates/${item.rev}`,
      revision: { id: item.id, rev: item.rev, fields: current, url },
    }),
    // A move between projects reaches the hooks of both.
    [...new Set([String(before.fields['System.TeamProject'] ?? before.project), item.project])],
  );
}

/** Sends `workitem.deleted` (the item went to the recycle bin, or was destroyed). */
export function azureWorkItemDeleted(hooks: FakeWebhooks, state: AzureState, item: AzureWorkItem): void {
  if (!hooks.active) return;
  send(
    hooks,
    state,
    'workitem.deleted',
    item,
    'deleted',
    () => ({ ...itemResource(state, item), url: `${baseUrl(state)}/_apis/wit/recycleBin/${item.id}` }),
    [item.project],
  );
}

/** Sends `workitem.commented` (the comment text is the revision's System.History). */
export function azureWorkItemCommented(
  hooks: FakeWebhooks,
  state: AzureState,
  item: AzureWorkItem,
  text: string,
): void {
  if (!hooks.active) return;
  send(
    hooks,
    state,
    'workitem.commented',
    item,
    'commented on',
    () => {
      const resource = itemResource(state, item);
      return { ...resource, fields: { ...(resource.fields as object), 'System.History': text } };
    },
    [item.project],
  );
}
