// Linear data-change webhook deliveries, as documented at https://linear.app/developers/webhooks:
// headers Linear-Delivery (a UUID per delivery), Linear-Event (the resource type) and
// Linear-Signature (hex HMAC-SHA256 of the raw body with the webhook's signing secret); the body
// carries `action` (create / update / remove), `type`, `data`, `url`, `actor`, `createdAt`,
// `organizationId`, `webhookId`, `webhookTimestamp` (epoch ms, checked against replays) and, on
// updates, `updatedFrom` (the previous values of what changed). Archiving, trashing and deleting
// an issue all arrive as `remove`. Relations are no webhook resource, so they send nothing.
import type { FakeComment, FakeIssue, LinearFakeState } from '../linear/linear-state';
import { slug } from '../linear/linear-views';
import type { FakeWebhooks, WebhookBodyContext, WebhookFormat } from './fake-webhooks';
import { hmacSha256HexOf } from './webhook-signatures';

/** Linear's delivery headers. */
export const linearWebhookFormat: WebhookFormat = {
  headers({ event, deliveryId, subscription, body }) {
    return {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Linear-Webhook',
      'linear-delivery': deliveryId,
      'linear-event': event,
      'linear-signature': hmacSha256HexOf(subscription.secret, body),
    };
  },
};

function issueUrl(db: LinearFakeState, issue: FakeIssue): string {
  return `https://linear.app/${db.organization.urlKey}/issue/${db.identifier(issue)}/${slug(issue.title)}`;
}

/** The subscription's id as the UUID Linear gives each webhook. */
function webhookUuid(id: string): string {
  return `00000000-0000-4000-8000-${id.padStart(12, '0').slice(-12)}`;
}

const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];

function issueData(db: LinearFakeState, issue: FakeIssue): Record<string, unknown> {
  const team = db.teams.get(issue.teamId);
  const state = db.states.get(issue.stateId);
  const assignee = issue.assigneeId === null ? undefined : db.users.get(issue.assigneeId);
  return {
    id: issue.id,
    createdAt: issue.createdAt.toISOString(),
    updatedAt: issue.updatedAt.toISOString(),
    archivedAt: issue.archivedAt?.toISOString() ?? null,
    number: issue.number,
    title: issue.title,
    description: issue.description,
    priority: issue.priority,
    priorityLabel: PRIORITY_LABELS[issue.priority] ?? 'No priority',
    boardOrder: 0,
    sortOrder: issue.number,
    teamId: issue.teamId,
    ...(team ? { team: { id: team.id, key: team.key, name: team.name } } : {}),
    stateId: issue.stateId,
    ...(state ? { state: { id: state.id, name: state.name, color: state.color, type: state.type } } : {}),
    assigneeId: issue.assigneeId,
    ...(assignee ? { assignee: { id: assignee.id, name: assignee.name, email: assignee.email } } : {}),
    creatorId: db.viewerId,
    parentId: issue.parentId,
    labelIds: [...issue.labelIds],
    labels: issue.labelIds.flatMap((id) => {
      const label = db.labels.get(id);
      return label ? [{ id: label.id, name: label.name, color: label.color, parentId: null }] : [];
    }),
    previousIdentifiers: [],
    subscriberIds: [],
    identifier: db.identifier(issue),
    url: issueUrl(db, issue),
    ...(issue.trashed ? { trashed: true } : {}),
  };
}

function envelope(
  db: LinearFakeState,
  context: WebhookBodyContext,
  type: string,
  action: string,
  data: Record<string, unknown>,
  url: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const viewer = db.viewerId === null ? undefined : db.users.get(db.viewerId);
  return {
    action,
    actor: viewer ? { id: viewer.id, type: 'user', name: viewer.name, email: viewer.email } : null,
    createdAt: context.sentAt.toISOString(),
    data,
    url,
    type,
    ...extra,
    organizationId: db.organization.id,
    webhookTimestamp: context.sentAt.getTime(),
    webhookId: webhookUuid(context.subscription.id),
  };
}

function issueDelivery(
  hooks: FakeWebhooks,
  db: LinearFakeState,
  issue: FakeIssue,
  action: string,
  extra: Record<string, unknown> = {},
): void {
  if (!hooks.active) return;
  hooks.emit(
    'Issue',
    (context) => envelope(db, context, 'Issue', action, issueData(db, issue), issueUrl(db, issue), extra),
    [issue.teamId],
  );
}

/** A copy of the issue's fields, taken before a change (for `updatedFrom`). */
export function linearIssueBefore(issue: FakeIssue): FakeIssue {
  return { ...issue, labelIds: [...issue.labelIds] };
}

/** Sends Issue `create`. */
export function linearIssueCreated(hooks: FakeWebhooks, db: LinearFakeState, issue: FakeIssue): void {
  issueDelivery(hooks, db, issue, 'create');
}

/** Sends Issue `update` with `updatedFrom` holding the previous value of each changed field; nothing when none did. */
export function linearIssueUpdated(
  hooks: FakeWebhooks,
  db: LinearFakeState,
  issue: FakeIssue,
  before: FakeIssue,
): void {
  if (!hooks.active) return;
  const previous = issueData(db, before);
  const current = issueData(db, issue);
  const updatedFrom: Record<string, unknown> = {};
  for (const key of [
    'title',
    'description',
    'priority',
    'stateId',
    'assigneeId',
    'parentId',
    'labelIds',
    'teamId',
    'number',
  ])
    if (JSON.stringify(previous[key]) !== JSON.stringify(current[key])) updatedFrom[key] = previous[key];
  if (Object.keys(updatedFrom).length === 0) return;
  if (previous.updatedAt !== current.updatedAt) updatedFrom.updatedAt = previous.updatedAt;
  issueDelivery(hooks, db, issue, 'update', { updatedFrom });
}

/** Sends Issue `remove` (archived, trashed or deleted for good). */
export function linearIssueRemoved(hooks: FakeWebhooks, db: LinearFakeState, issue: FakeIssue): void {
  issueDelivery(hooks, db, issue, 'remove');
}

/** Sends Comment `create` for a comment on an issue. */
export function linearCommentCreated(hooks: FakeWebhooks, db: LinearFakeState, comment: FakeComment): void {
  const issue = db.issues.get(comment.issueId);
  if (!hooks.active || issue === undefined) return;
  const user = comment.userId === null ? undefined : db.users.get(comment.userId);
  hooks.emit(
    'Comment',
    (context) =>
      envelope(
        db,
        context,
        'Comment',
        'create',
        {
          id: comment.id,
          createdAt: comment.createdAt.toISOString(),
          updatedAt: comment.updatedAt.toISOString(),
          body: comment.body,
          issueId: issue.id,
          userId: comment.userId,
          issue: {
            id: issue.id,
            identifier: db.identifier(issue),
            title: issue.title,
            teamId: issue.teamId,
            url: issueUrl(db, issue),
          },
          ...(user ? { user: { id: user.id, name: user.name, email: user.email } } : {}),
        },
        `${issueUrl(db, issue)}#comment-${comment.id.slice(0, 8)}`,
      ),
    [issue.teamId],
  );
}
