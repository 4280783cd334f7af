// GitHub repository webhooks, as GitHub documents them:
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries (X-Hub-Signature-256:
// "sha256=" + hex HMAC-SHA256 of the raw body keyed with the webhook secret), and
// https://docs.github.com/en/webhooks/webhook-events-and-payloads (X-GitHub-Event, X-GitHub-Delivery,
// the `issues`, `issue_comment` and `sub_issues` payloads).
import { type ConnectorWebhooks, type TrackerEvent, TrackerEventType } from '@spec-kitty/core';
import {
  defineConnectorWebhooks,
  type WebhookBody as Json,
  type WebhookParseContext,
  webhookDate,
  webhookId,
  webhookObject,
  webhookPayloadFail,
  webhookString,
} from '@spec-kitty/core/webhooks';
import { GITHUB_SYSTEM, githubRef } from './github-mapping';

const SECRET_HINT =
  'Use the secret set under the repository Settings > Webhooks > (your hook) > Secret, and select "application/json" as the content type.';

/** `issues` actions that change the issue's open/closed state. */
const TRANSITIONS = new Set(['closed', 'reopened']);
/** `issues` actions after which the issue is no longer in this repository. */
const GONE = new Set(['deleted', 'transferred']);

function issueEvent(
  eventId: string,
  eventType: TrackerEventType,
  workspace: string,
  issue: Json,
  payload: Json,
): TrackerEvent {
  const number = webhookId(GITHUB_SYSTEM, issue.number, 'issue.number');
  return Object.freeze({
    eventId,
    eventType,
    issueRef: githubRef(workspace, number, webhookString(issue.html_url)),
    timestamp: webhookDate(issue.updated_at, new Date()),
    payload: Object.freeze(payload),
  });
}

function workspaceOf(body: Json, override: string | undefined, field = 'repository'): string {
  if (override !== undefined) return override;
  const repository = webhookObject(GITHUB_SYSTEM, body[field], field);
  return webhookId(GITHUB_SYSTEM, repository.full_name, `${field}.full_name`);
}

function actionOf(body: Json, event: string): string {
  const action = webhookString(body.action);
  if (action === null) webhookPayloadFail(GITHUB_SYSTEM, `the ${event} payload has no action.`);
  return action;
}

function parseIssues(body: Json, { deliveryKey, workspace }: WebhookParseContext): TrackerEvent[] {
  const action = actionOf(body, 'issues');
  const issue = webhookObject(GITHUB_SYSTEM, body.issue, 'issue');
  const eventType =
    action === 'opened'
      ? TrackerEventType.CREATED
      : TRANSITIONS.has(action)
        ? TrackerEventType.TRANSITIONED
        : GONE.has(action)
          ? TrackerEventType.DELETED
          : TrackerEventType.UPDATED;
  const payload: Json = { vendorEvent: 'issues', action };
  if (GONE.has(action)) payload.deleted = true;
  return [
    issueEvent(`${deliveryKey}:issues.${action}`, eventType, workspaceOf(body, workspace), issue, payload),
  ];
}

function parseIssueComment(body: Json, { deliveryKey, workspace }: WebhookParseContext): TrackerEvent[] {
  const action = actionOf(body, 'issue_comment');
  const issue = webhookObject(GITHUB_SYSTEM, body.issue, 'issue');
  // GitHub sends pull-request conversation comments as issue_comment too; the connector lists no PRs.
  if (issue.pull_request !== undefined && issue.pull_request !== null) return [];
  const comment = webhookObject(GITHUB_SYSTEM, body.comment, 'comment');
  const commentId = webhookId(GITHUB_SYSTEM, comment.id, 'comment.id');
  const event = issueEvent(
    `${deliveryKey}:issue_comment.${action}`,
    action === 'created' ? TrackerEventType.COMMENT_ADDED : TrackerEventType.UPDATED,
    workspaceOf(body, workspace),
    issue,
    { vendorEvent: 'issue_comment', action, commentId },
  );
  return [{ ...event, timestamp: webhookDate(comment.updated_at ?? comment.created_at, event.timestamp) }];
}

function parseSubIssues(body: Json, { deliveryKey, workspace }: WebhookParseContext): TrackerEvent[] {
  const action = actionOf(body, 'sub_issues');
  const parent = webhookObject(GITHUB_SYSTEM, body.parent_issue, 'parent_issue');
  const child = webhookObject(GITHUB_SYSTEM, body.sub_issue, 'sub_issue');
  const parentWorkspace =
    workspace ?? workspaceOf(body, undefined, body.parent_issue_repo ? 'parent_issue_repo' : 'repository');
  const childWorkspace =
    workspace ?? workspaceOf(body, undefined, body.sub_issue_repo ? 'sub_issue_repo' : 'repository');
  const payload: Json = { vendorEvent: 'sub_issues', action };
  // Both ends' links change: the parent gains or loses a child, the child a parent.
  return [
    issueEvent(
      `${deliveryKey}:sub_issues.${action}:parent`,
      TrackerEventType.LINK_UPSERTED,
      parentWorkspace,
      parent,
      {
        ...payload,
        role: 'parent',
      },
    ),
    issueEvent(
      `${deliveryKey}:sub_issues.${action}:child`,
      TrackerEventType.LINK_UPSERTED,
      childWorkspace,
      child,
      {
        ...payload,
        role: 'child',
      },
    ),
  ];
}

/**
 * GitHub webhooks: `X-Hub-Signature-256` (`sha256=` hex HMAC-SHA256 of the raw body) verified in
 * constant time; `issues`, `issue_comment` (pull-request comments skipped), `sub_issues` and `ping`
 * deliveries parsed; `X-GitHub-Delivery` is the delivery id. GitHub signs no timestamp, so there is
 * no replay window: drop repeated delivery ids instead. Refs: workspace `owner/repo` from
 * `repository.full_name` (or the parse option), id the issue number; a deleted or transferred
 * issue is a `deleted` event.
 */
export const githubWebhooks: ConnectorWebhooks = defineConnectorWebhooks({
  connectorId: GITHUB_SYSTEM,
  scheme: 'X-Hub-Signature-256 HMAC-SHA256',
  authentication: {
    kind: 'hmac-sha256',
    header: 'X-Hub-Signature-256',
    prefix: 'sha256=',
    secretHint: SECRET_HINT,
  },
  event: { headers: ['X-GitHub-Event'] },
  missingEvent: 'the X-GitHub-Event header is missing; is this a GitHub webhook delivery?',
  deliveryId: { headers: ['X-GitHub-Delivery'] },
  subscribeHint: 'Subscribe the webhook to Issues, Issue comments and Sub issues only.',
  parsers: {
    issues: parseIssues,
    issue_comment: parseIssueComment,
    sub_issues: parseSubIssues,
    // Sent once when the hook is created; it touches no issue.
    ping: () => [],
  },
});
