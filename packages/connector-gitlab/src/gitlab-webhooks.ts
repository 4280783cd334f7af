// GitLab project webhooks, as GitLab documents them:
// https://docs.gitlab.com/user/project/integrations/webhooks/ (the "Secret token" comes back verbatim in
// X-Gitlab-Token; X-Gitlab-Event names the event; Idempotency-Key is the same on every retry of one
// delivery, X-Gitlab-Webhook-UUID differs per attempt), and
// https://docs.gitlab.com/user/project/integrations/webhook_events/ (Issue Hook / Note Hook payloads).
import { type ConnectorWebhooks, createRef, type TrackerEvent, TrackerEventType } from '@spec-kitty/core';
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
import { GITLAB_SYSTEM } from './gitlab-mapping';

const SECRET_HINT =
  'Use the "Secret token" set under the project Settings > Webhooks > (your hook); GitLab sends it back in X-Gitlab-Token.';

/** Issue Hook actions (`object_attributes.action`) → event kinds. */
const ISSUE_ACTIONS: Readonly<Record<string, TrackerEventType>> = {
  open: TrackerEventType.CREATED,
  close: TrackerEventType.TRANSITIONED,
  reopen: TrackerEventType.TRANSITIONED,
  update: TrackerEventType.UPDATED,
};

function issueRef(workspace: string, issue: Json) {
  const iid = webhookId(GITLAB_SYSTEM, issue.iid, 'issue iid');
  return createRef({ system: GITLAB_SYSTEM, workspace, id: iid, key: iid, url: webhookString(issue.url) });
}

function workspaceOf(body: Json, override: string | undefined): string {
  if (override !== undefined) return override;
  const project = webhookObject(GITLAB_SYSTEM, body.project, 'project');
  return webhookId(GITLAB_SYSTEM, project.path_with_namespace, 'project.path_with_namespace');
}

function parseIssueHook(body: Json, { deliveryKey, workspace }: WebhookParseContext): TrackerEvent[] {
  const kind = webhookString(body.object_kind);
  // GitLab 17+ sends issues of the new work-item framework with object_kind "work_item".
  if (kind !== 'issue' && kind !== 'work_item')
    webhookPayloadFail(
      GITLAB_SYSTEM,
      `an Issue Hook must carry object_kind "issue", got ${JSON.stringify(body.object_kind)}.`,
    );
  const attributes = webhookObject(GITLAB_SYSTEM, body.object_attributes, 'object_attributes');
  const action = webhookString(attributes.action) ?? 'update';
  // A moved issue stays behind, closed, naming its copy in moved_to_id: it left this project.
  const moved = attributes.moved_to_id !== undefined && attributes.moved_to_id !== null;
  const eventType = moved ? TrackerEventType.DELETED : (ISSUE_ACTIONS[action] ?? TrackerEventType.UPDATED);
  const payload: Json = { vendorEvent: 'Issue Hook', action };
  if (moved) payload.deleted = true;
  return [
    Object.freeze({
      eventId: `${deliveryKey}:issue.${action}`,
      eventType,
      issueRef: issueRef(workspaceOf(body, workspace), attributes),
      timestamp: webhookDate(attributes.updated_at, new Date()),
      payload: Object.freeze(payload),
    }),
  ];
}

function parseNoteHook(body: Json, { deliveryKey, workspace }: WebhookParseContext): TrackerEvent[] {
  const attributes = webhookObject(GITLAB_SYSTEM, body.object_attributes, 'object_attributes');
  // Notes on merge requests, commits and snippets touch no issue.
  if (attributes.noteable_type !== 'Issue') return [];
  const issue = webhookObject(GITLAB_SYSTEM, body.issue, 'issue');
  const action = webhookString(attributes.action) ?? 'create';
  const noteId = webhookId(GITLAB_SYSTEM, attributes.id, 'object_attributes.id');
  return [
    Object.freeze({
      eventId: `${deliveryKey}:note.${action}`,
      eventType: action === 'create' ? TrackerEventType.COMMENT_ADDED : TrackerEventType.UPDATED,
      issueRef: issueRef(workspaceOf(body, workspace), issue),
      timestamp: webhookDate(attributes.updated_at ?? attributes.created_at, new Date()),
      payload: Object.freeze({ vendorEvent: 'Note Hook', action, noteId }),
    }),
  ];
}

/**
 * GitLab webhooks: the `X-Gitlab-Token` secret token compared with the configured secret in
 * constant time (GitLab sends the token itself, not a signature, so use HTTPS); Issue Hook and
 * Note Hook (confidential ones too; notes on anything but issues skipped) parsed; an issue closed
 * by a move (`moved_to_id` set) is a `deleted` event, as it left the project. GitLab sends no
 * webhook when an issue is deleted: the periodic sync finds those. The delivery id
 * is `Idempotency-Key` (stable across retries, GitLab 17.4+), else `X-Gitlab-Webhook-UUID`.
 * GitLab signs no timestamp, so there is no replay window. Refs: workspace
 * `project.path_with_namespace` unless the parse option names the binding's `projectId`; id the iid.
 */
export const gitlabWebhooks: ConnectorWebhooks = defineConnectorWebhooks({
  connectorId: GITLAB_SYSTEM,
  scheme: 'X-Gitlab-Token secret token',
  authentication: { kind: 'token', header: 'X-Gitlab-Token', secretHint: SECRET_HINT },
  event: { headers: ['X-Gitlab-Event'] },
  missingEvent: 'the X-Gitlab-Event header is missing; is this a GitLab webhook delivery?',
  deliveryId: { headers: ['Idempotency-Key', 'X-Gitlab-Webhook-UUID'] },
  subscribeHint: 'Enable only "Issues events" and "Comments" triggers on the webhook.',
  parsers: {
    'Issue Hook': parseIssueHook,
    'Confidential Issue Hook': parseIssueHook,
    'Note Hook': parseNoteHook,
    'Confidential Note Hook': parseNoteHook,
  },
});
