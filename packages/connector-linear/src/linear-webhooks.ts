// Linear webhooks, as Linear documents them (https://linear.app/developers/webhooks): the
// Linear-Signature header is the hex HMAC-SHA256 of the raw body keyed with the webhook's signing
// secret; the body's webhookTimestamp (epoch milliseconds) should be within a minute of now to
// guard against replays; Linear-Delivery is the delivery's id; the body's `type` and `action`
// (create / update / remove) say what changed.
import {
  type ConnectorWebhooks,
  createRef,
  type TrackerEvent,
  TrackerEventType,
  WebhookPayloadError,
  type WebhookRequest,
  WebhookVerificationError,
  type WebhookVerifyOptions,
} from '@spec-kitty/core';
import {
  defineConnectorWebhooks,
  type WebhookBody as Json,
  parseWebhookJson,
  verifyHmacSha256Header,
  type WebhookEventParser,
  webhookDate,
  webhookId,
  webhookObject,
  webhookPayloadFail,
  webhookString,
} from '@spec-kitty/core/webhooks';
import { LINEAR_SYSTEM } from './linear-mapping';

/** Linear's documented replay window: a delivery older (or newer) than this is refused. */
export const LINEAR_WEBHOOK_TOLERANCE_MS = 60_000;
/** `ExternalRef.workspace` the Linear connector writes when its config names none. */
const DEFAULT_WORKSPACE = 'linear';

const SECRET_HINT =
  "Use the signing secret shown on the webhook's page under Linear Settings > API > Webhooks.";

/** Resource types Linear can send that touch no issue we sync; accepted with no events. */
const UNTRACKED_TYPES = new Set([
  'Attachment',
  'AuditEntry',
  'Customer',
  'CustomerNeed',
  'Cycle',
  'Document',
  'Initiative',
  'InitiativeUpdate',
  'IssueLabel',
  'Project',
  'ProjectUpdate',
  'Reaction',
  'User',
]);

function event(
  eventId: string,
  eventType: TrackerEventType,
  ref: ReturnType<typeof createRef>,
  timestamp: Date,
  payload: Json,
): TrackerEvent {
  return Object.freeze({ eventId, eventType, issueRef: ref, timestamp, payload: Object.freeze(payload) });
}

function parseIssue(body: Json, action: string, deliveryKey: string, workspace: string): TrackerEvent[] {
  const data = webhookObject(LINEAR_SYSTEM, body.data, 'data');
  const ref = createRef({
    system: LINEAR_SYSTEM,
    workspace,
    id: webhookId(LINEAR_SYSTEM, data.id, 'data.id'),
    key: webhookString(data.identifier),
    url: webhookString(body.url) ?? webhookString(data.url),
  });
  const updatedFrom =
    typeof body.updatedFrom === 'object' && body.updatedFrom !== null ? body.updatedFrom : {};
  const eventType =
    action === 'create'
      ? TrackerEventType.CREATED
      : action === 'remove'
        ? TrackerEventType.DELETED
        : action === 'update' && 'stateId' in updatedFrom
          ? TrackerEventType.TRANSITIONED
          : TrackerEventType.UPDATED;
  const payload: Json = { vendorEvent: 'Issue', action };
  if (action === 'remove') payload.deleted = true;
  const timestamp = webhookDate(data.updatedAt ?? body.createdAt, new Date());
  return [event(`${deliveryKey}:Issue.${action}`, eventType, ref, timestamp, payload)];
}

function parseComment(body: Json, action: string, deliveryKey: string, workspace: string): TrackerEvent[] {
  const data = webhookObject(LINEAR_SYSTEM, body.data, 'data');
  const issue =
    typeof data.issue === 'object' && data.issue !== null && !Array.isArray(data.issue) ? data.issue : {};
  const issueId = webhookId(LINEAR_SYSTEM, data.issueId ?? issue.id, 'data.issueId');
  const ref = createRef({
    system: LINEAR_SYSTEM,
    workspace,
    id: issueId,
    key: webhookString(issue.identifier),
    url: webhookString(issue.url),
  });
  const commentId = webhookId(LINEAR_SYSTEM, data.id, 'data.id');
  const timestamp = webhookDate(data.updatedAt ?? data.createdAt ?? body.createdAt, new Date());
  return [
    event(
      `${deliveryKey}:Comment.${action}`,
      action === 'create' ? TrackerEventType.COMMENT_ADDED : TrackerEventType.UPDATED,
      ref,
      timestamp,
      { vendorEvent: 'Comment', action, commentId },
    ),
  ];
}

const ACTIONS = ['create', 'update', 'remove'];

/** The checked `action` (see `checkBody`). */
function actionOf(body: Json): string {
  return webhookString(body.action) ?? 'update';
}

const parseIssueDelivery: WebhookEventParser = (body, { deliveryKey, workspace }) =>
  parseIssue(body, actionOf(body), deliveryKey, workspace ?? DEFAULT_WORKSPACE);

const parseCommentDelivery: WebhookEventParser = (body, { deliveryKey, workspace }) => {
  const data = webhookObject(LINEAR_SYSTEM, body.data, 'data');
  // Comments on project updates or documents have no issue.
  if (data.issueId === undefined && data.issue === undefined) return [];
  return parseComment(body, actionOf(body), deliveryKey, workspace ?? DEFAULT_WORKSPACE);
};

/** Linear-Signature over the raw body, then the signed webhookTimestamp against the replay window. */
function verifyLinear(request: WebhookRequest, secret: string, options?: WebhookVerifyOptions): void {
  verifyHmacSha256Header(request, secret, {
    connectorId: LINEAR_SYSTEM,
    header: 'Linear-Signature',
    prefix: '',
    secretHint: SECRET_HINT,
  });
  let body: Json;
  try {
    body = parseWebhookJson(LINEAR_SYSTEM, request);
  } catch (error) {
    if (!WebhookPayloadError.isInstance(error)) throw error;
    throw new WebhookVerificationError(
      'linear webhook: the signed body is not JSON, so its webhookTimestamp cannot be checked.',
      { connectorId: LINEAR_SYSTEM, reason: 'stale', cause: error },
    );
  }
  const sent = body.webhookTimestamp;
  const now = (options?.now ?? new Date()).getTime();
  const tolerance = options?.toleranceMs ?? LINEAR_WEBHOOK_TOLERANCE_MS;
  if (typeof sent !== 'number' || !Number.isFinite(sent)) {
    throw new WebhookVerificationError(
      'linear webhook: the body has no numeric webhookTimestamp, so the delivery cannot be checked against replays.',
      { connectorId: LINEAR_SYSTEM, reason: 'stale' },
    );
  }
  if (Math.abs(now - sent) > tolerance) {
    throw new WebhookVerificationError(
      `linear webhook: webhookTimestamp ${new Date(sent).toISOString()} is ${Math.round(Math.abs(now - sent) / 1000)} s from now (limit ${tolerance / 1000} s): a replayed delivery or a wrong clock. Check this host's clock (NTP).`,
      { connectorId: LINEAR_SYSTEM, reason: 'stale' },
    );
  }
}

/**
 * Linear webhooks: `Linear-Signature` (hex HMAC-SHA256 of the raw body) verified in constant time,
 * then the signed `webhookTimestamp` checked to be within `toleranceMs` (default 60 s) of `now`;
 * Issue and Comment deliveries parsed (other Linear resource types accepted with no events; an
 * Issue `remove`, sent when an issue is archived, trashed or deleted, is a `deleted` event);
 * `Linear-Delivery` is the delivery id. Refs: workspace the parse option (default `linear`, the
 * connector's default), id the issue's UUID, key its identifier (e.g. `ENG-12`).
 */
export const linearWebhooks: ConnectorWebhooks = defineConnectorWebhooks({
  connectorId: LINEAR_SYSTEM,
  scheme: 'Linear-Signature HMAC-SHA256 + webhookTimestamp',
  authentication: { kind: 'custom', verify: verifyLinear },
  event: { field: 'type', headers: ['Linear-Event'] },
  missingEvent: 'the payload has no type; is this a Linear webhook delivery?',
  deliveryId: { headers: ['Linear-Delivery'] },
  subscribeHint: 'Subscribe the webhook to Issues and Comments.',
  checkBody(body, type) {
    if (!ACTIONS.includes(webhookString(body.action) ?? ''))
      webhookPayloadFail(
        LINEAR_SYSTEM,
        `the ${type} payload's action must be create, update or remove, got ${JSON.stringify(body.action)}.`,
      );
  },
  parsers: {
    Issue: parseIssueDelivery,
    Comment: parseCommentDelivery,
    ...Object.fromEntries([...UNTRACKED_TYPES].map((type) => [type, () => []])),
  },
});
