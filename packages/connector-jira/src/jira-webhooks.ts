// Jira Cloud admin webhooks (registered in Jira administration > System > WebHooks, or with
// POST /rest/webhooks/1.0/webhook) saved with a secret, as Atlassian documents them:
// https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks — the
// X-Hub-Signature header is "sha256=" + hex HMAC-SHA256 of the raw body keyed with the secret
// (WebSub's method=signature form); X-Atlassian-Webhook-Identifier is the same for every retry of
// one delivery. Webhooks of Connect or OAuth 2.0 apps (a JWT in Authorization) are not supported.
import { type ConnectorWebhooks, type TrackerEvent, TrackerEventType } from '@spec-kitty/core';
import {
  defineConnectorWebhooks,
  type WebhookBody as Json,
  type WebhookEventParser,
  webhookDate,
  webhookId,
  webhookObject,
  webhookPayloadFail,
  webhookString,
} from '@spec-kitty/core/webhooks';
import { JIRA_SYSTEM, jiraRef } from './jira-mapping';

const SECRET_HINT =
  'Use the secret saved on the admin webhook (Jira settings > System > WebHooks); webhooks registered by Connect or OAuth apps carry a JWT instead and are not supported.';

type Parser = WebhookEventParser;

/** The site's base URL (what the connector's `baseUrl` is), from the issue's REST `self` link. */
function siteOf(issue: Json, override: string | undefined): string {
  if (override !== undefined) return override;
  const self = webhookString(issue.self);
  if (self === null || !URL.canParse(self))
    webhookPayloadFail(
      JIRA_SYSTEM,
      'the issue has no REST self URL to take the site from; pass the binding baseUrl as the workspace option.',
    );
  const url = new URL(self);
  const restAt = url.pathname.indexOf('/rest/api/');
  return `${url.origin}${restAt > 0 ? url.pathname.slice(0, restAt) : ''}`;
}

function event(
  eventId: string,
  eventType: TrackerEventType,
  ref: ReturnType<typeof jiraRef>,
  timestamp: Date,
  payload: Json,
): TrackerEvent {
  return Object.freeze({ eventId, eventType, issueRef: ref, timestamp, payload: Object.freeze(payload) });
}

function issueEventRef(body: Json, workspace: string | undefined) {
  const issue = webhookObject(JIRA_SYSTEM, body.issue, 'issue');
  return jiraRef(
    siteOf(issue, workspace),
    webhookId(JIRA_SYSTEM, issue.id, 'issue.id'),
    webhookString(issue.key),
  );
}

const parseIssue: Parser = (body, { vendorEvent, deliveryKey, workspace }) => {
  const ref = issueEventRef(body, workspace);
  const changelog =
    typeof body.changelog === 'object' && body.changelog !== null && !Array.isArray(body.changelog)
      ? body.changelog
      : {};
  const items = Array.isArray(changelog.items) ? changelog.items : [];
  const statusChanged = items.some(
    (item) => typeof item === 'object' && item !== null && !Array.isArray(item) && item.field === 'status',
  );
  const eventType =
    vendorEvent === 'jira:issue_created'
      ? TrackerEventType.CREATED
      : vendorEvent === 'jira:issue_deleted'
        ? TrackerEventType.DELETED
        : statusChanged
          ? TrackerEventType.TRANSITIONED
          : TrackerEventType.UPDATED;
  const payload: Json = { vendorEvent };
  if (vendorEvent === 'jira:issue_deleted') payload.deleted = true;
  const typeName = webhookString(body.issue_event_type_name);
  if (typeName !== null) payload.issueEventTypeName = typeName;
  return [
    event(`${deliveryKey}:${vendorEvent}`, eventType, ref, webhookDate(body.timestamp, new Date()), payload),
  ];
};

const parseComment: Parser = (body, { vendorEvent, deliveryKey, workspace }) => {
  const ref = issueEventRef(body, workspace);
  const comment = webhookObject(JIRA_SYSTEM, body.comment, 'comment');
  const commentId = webhookId(JIRA_SYSTEM, comment.id, 'comment.id');
  return [
    event(
      `${deliveryKey}:${vendorEvent}`,
      vendorEvent === 'comment_created' ? TrackerEventType.COMMENT_ADDED : TrackerEventType.UPDATED,
      ref,
      webhookDate(comment.updated ?? body.timestamp, new Date()),
      { vendorEvent, commentId },
    ),
  ];
};

const parseIssueLink: Parser = (body, { vendorEvent, deliveryKey, workspace }) => {
  const link = webhookObject(JIRA_SYSTEM, body.issueLink, 'issueLink');
  // The issuelink payload names issues by id only, so the site must come from the binding.
  if (workspace === undefined)
    webhookPayloadFail(
      JIRA_SYSTEM,
      `${vendorEvent} names issues by id only; pass the binding's baseUrl as the workspace option.`,
    );
  const linkId = webhookId(JIRA_SYSTEM, link.id, 'issueLink.id');
  const linkType =
    typeof link.issueLinkType === 'object' &&
    link.issueLinkType !== null &&
    !Array.isArray(link.issueLinkType)
      ? webhookString(link.issueLinkType.name)
      : null;
  const timestamp = webhookDate(body.timestamp, new Date());
  return (['sourceIssueId', 'destinationIssueId'] as const).map((end) =>
    event(
      `${deliveryKey}:${vendorEvent}:${end}`,
      TrackerEventType.LINK_UPSERTED,
      jiraRef(workspace, webhookId(JIRA_SYSTEM, link[end], `issueLink.${end}`), null),
      timestamp,
      { vendorEvent, linkId, linkType, end: end === 'sourceIssueId' ? 'source' : 'destination' },
    ),
  );
};

/**
 * Jira Cloud admin webhooks with a secret: `X-Hub-Signature` (`sha256=` hex HMAC-SHA256 of the
 * raw body) verified in constant time; issue, comment and issue-link events parsed
 * (`jira:issue_deleted` as a `deleted` event);
 * `X-Atlassian-Webhook-Identifier` is the delivery id. Connect-app JWTs are not supported. Atlassian
 * documents no replay window for the body's `timestamp` (retries keep the identifier), so none is applied:
 * drop repeated delivery ids instead. Refs: workspace the site from `issue.self` (or the parse
 * option, required for issue-link events), id the issue id, key the issue key.
 */
export const jiraWebhooks: ConnectorWebhooks = defineConnectorWebhooks({
  connectorId: JIRA_SYSTEM,
  scheme: 'X-Hub-Signature HMAC-SHA256 (admin webhook secret)',
  authentication: {
    kind: 'hmac-sha256',
    header: 'X-Hub-Signature',
    prefix: 'sha256=',
    secretHint: SECRET_HINT,
  },
  event: { field: 'webhookEvent' },
  missingEvent: 'the payload has no webhookEvent; is this a Jira webhook delivery?',
  deliveryId: { headers: ['X-Atlassian-Webhook-Identifier'] },
  subscribeHint:
    'Select only Issue (created, updated, deleted), Comment and Issue link events on the webhook.',
  parsers: {
    'jira:issue_created': parseIssue,
    'jira:issue_updated': parseIssue,
    'jira:issue_deleted': parseIssue,
    comment_created: parseComment,
    comment_updated: parseComment,
    comment_deleted: parseComment,
    issuelink_created: parseIssueLink,
    issuelink_deleted: parseIssueLink,
  },
});
