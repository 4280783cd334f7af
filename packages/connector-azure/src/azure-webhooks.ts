// Azure DevOps service hooks (Web Hooks consumer), as Microsoft documents them:
// https://learn.microsoft.com/en-us/azure/devops/service-hooks/services/webhooks — the subscription
// can send "Basic authentication username/password" and extra "HTTP headers" with every request;
// Azure DevOps signs nothing, so one of those shared secrets (over HTTPS) is the only proof. Payloads:
// https://learn.microsoft.com/en-us/azure/devops/service-hooks/events (workitem.created, .updated,
// .deleted, .restored, .commented).
import {
  type ConnectorWebhooks,
  createRef,
  type TrackerEvent,
  TrackerEventType,
  type WebhookRequest,
  WebhookVerificationError,
} from '@spec-kitty/core';
import {
  defineConnectorWebhooks,
  type WebhookBody as Json,
  requireWebhookSecret,
  timingSafeEqualText,
  type WebhookParseContext,
  webhookDate,
  webhookHeader,
  webhookId,
  webhookObject,
  webhookPayloadFail,
  webhookString,
} from '@spec-kitty/core/webhooks';
import { AZURE_SYSTEM } from './azure-mapping';

/** How the service hook subscription proves itself. */
export type AzureWebhookAuth =
  /** The subscription's "Basic authentication username/password"; the secret is `username:password`. */
  | { readonly kind: 'basic' }
  /** A custom header from the subscription's "HTTP headers" (`Name:value`); the secret is the value. */
  | { readonly kind: 'header'; readonly header: string };

const BASIC_HINT =
  'Set "Basic authentication username" and "password" on the service hook subscription (Project settings > Service hooks > Web Hooks) and configure the secret as "username:password".';

/** `eventType` → event kind; `workitem.updated` becomes `transitioned` when System.State changed. */
const EVENT_TYPES: Readonly<Record<string, TrackerEventType>> = {
  'workitem.created': TrackerEventType.CREATED,
  'workitem.updated': TrackerEventType.UPDATED,
  'workitem.deleted': TrackerEventType.DELETED,
  'workitem.restored': TrackerEventType.UPDATED,
  'workitem.commented': TrackerEventType.COMMENT_ADDED,
};

function isObject(value: Json[string] | undefined): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `organization/project`, as the connector writes `ExternalRef.workspace`. */
function workspaceOf(resource: Json, fields: Json, override: string | undefined): string {
  if (override !== undefined) return override;
  const project = webhookString(fields['System.TeamProject']);
  const url = webhookString(resource.url);
  let organization: string | null = null;
  if (url !== null && URL.canParse(url)) {
    const parsed = new URL(url);
    organization = parsed.hostname.endsWith('.visualstudio.com')
      ? (parsed.hostname.split('.')[0] ?? null)
      : (parsed.pathname.split('/')[1] ?? null);
  }
  if (project === null || organization === null || organization === '')
    webhookPayloadFail(
      AZURE_SYSTEM,
      'the work item names no organization (resource.url) or project (System.TeamProject); pass the binding workspace ("organization/project") as the workspace option.',
    );
  return `${decodeURIComponent(organization)}/${project}`;
}

function parseWorkItem(
  body: Json,
  { vendorEvent, deliveryKey, workspace }: WebhookParseContext,
): TrackerEvent[] {
  const baseType = EVENT_TYPES[vendorEvent] ?? TrackerEventType.UPDATED;
  const resource = webhookObject(AZURE_SYSTEM, body.resource, 'resource');
  const updated = vendorEvent === 'workitem.updated';
  // An update's resource is the update record: the work item is `workItemId`, its fields under `revision`.
  const id = webhookId(
    AZURE_SYSTEM,
    updated ? resource.workItemId : resource.id,
    updated ? 'resource.workItemId' : 'resource.id',
  );
  const revision = updated && isObject(resource.revision) ? resource.revision : resource;
  const fields = isObject(revision.fields) ? revision.fields : {};
  const changed = updated && isObject(resource.fields) ? resource.fields : {};
  const eventType = updated && 'System.State' in changed ? TrackerEventType.TRANSITIONED : baseType;
  const payload: Json = { vendorEvent };
  if (vendorEvent === 'workitem.deleted') payload.deleted = true;
  const ref = createRef({
    system: AZURE_SYSTEM,
    workspace: workspaceOf(revision, fields, workspace),
    id,
    key: id,
  });
  return [
    Object.freeze({
      eventId: `${deliveryKey}:${vendorEvent}`,
      eventType,
      issueRef: ref,
      timestamp: webhookDate(body.createdDate ?? fields['System.ChangedDate'], new Date()),
      payload: Object.freeze(payload),
    }),
  ];
}

function unauthorized(
  reason: 'missing_signature' | 'malformed_signature' | 'signature_mismatch',
  message: string,
): never {
  throw new WebhookVerificationError(`azure_devops webhook: ${message}`, {
    connectorId: AZURE_SYSTEM,
    reason,
  });
}

/** The subscription's HTTP Basic credentials against the secret `username:password`. */
function verifyBasic(request: WebhookRequest, secret: string): void {
  requireWebhookSecret(AZURE_SYSTEM, secret, BASIC_HINT);
  const authorization = webhookHeader(request.headers, 'Authorization');
  if (authorization === null)
    unauthorized('missing_signature', `the Authorization header is missing. ${BASIC_HINT}`);
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  const credentials = match?.[1] === undefined ? null : Buffer.from(match[1], 'base64').toString('utf8');
  if (credentials === null || !credentials.includes(':'))
    unauthorized(
      'malformed_signature',
      `the Authorization header is not HTTP Basic credentials. ${BASIC_HINT}`,
    );
  if (!timingSafeEqualText(credentials, secret))
    unauthorized(
      'signature_mismatch',
      `the Basic credentials do not match the configured secret (a forged delivery, or the wrong secret). ${BASIC_HINT}`,
    );
}

/**
 * Azure DevOps service-hook webhooks with the given auth (default `basic`). Azure DevOps signs no
 * payload and sends no timestamp to check, so the shared secret is compared in constant time and
 * there is no replay window; the body's event `id` is the delivery id. Parses work item created,
 * updated (`transitioned` when System.State changed), deleted (a `deleted` event, payload flagged
 * `deleted`), restored (an update) and commented on. Refs: workspace `organization/project` from
 * the work item URL and System.TeamProject (or the parse option), id the work item id.
 */
export function createAzureWebhooks(auth: AzureWebhookAuth = { kind: 'basic' }): ConnectorWebhooks {
  return defineConnectorWebhooks({
    connectorId: AZURE_SYSTEM,
    scheme:
      auth.kind === 'basic'
        ? 'HTTP Basic authentication (service hook subscription)'
        : `${auth.header} shared-secret header`,
    authentication:
      auth.kind === 'header'
        ? {
            kind: 'token',
            header: auth.header,
            secretHint: `Add the HTTP header "${auth.header}:<secret>" to the service hook subscription and configure the same secret.`,
          }
        : { kind: 'custom', verify: verifyBasic },
    event: { field: 'eventType' },
    missingEvent: 'the payload has no eventType; is this an Azure DevOps service hook delivery?',
    deliveryId: { field: 'id' },
    eventIdPrefix: 'azure',
    subscribeHint:
      'Subscribe only to the Work item created, updated, deleted, restored and commented on events.',
    parsers: Object.fromEntries(Object.keys(EVENT_TYPES).map((type) => [type, parseWorkItem])),
  });
}

/** Azure DevOps webhooks checking the subscription's HTTP Basic credentials (secret `username:password`). */
export const azureWebhooks: ConnectorWebhooks = createAzureWebhooks();
