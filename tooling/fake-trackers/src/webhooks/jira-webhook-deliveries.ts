// Jira Cloud admin webhook deliveries (a webhook registered with a secret), as documented at
// https://developer.atlassian.com/cloud/jira/platform/webhooks/: headers X-Hub-Signature
// ("sha256=" + hex HMAC-SHA256 of the raw body keyed with the secret) and
// X-Atlassian-Webhook-Identifier (the same on every retry of a delivery, with
// X-Atlassian-Webhook-Retry counting retries); bodies with `webhookEvent`
// (jira:issue_created / jira:issue_updated / jira:issue_deleted, comment_created,
// issuelink_created), `timestamp` (epoch ms), `user`, `issue` (REST representation, `self`
// naming the site), `changelog.items` and `issue_event_type_name`.

import { renderComment, renderIssue } from '../jira/jira-render';
import {
  type JiraFakeComment,
  type JiraFakeIssue,
  type JiraFakeState,
  NAVIGABLE,
  type StoredLink,
} from '../jira/jira-state';
import type { FakeWebhooks, WebhookFormat } from './fake-webhooks';
import { hmacSha256HexOf } from './webhook-signatures';

/** Jira's delivery headers (the signature only when the webhook has a secret). */
export const jiraWebhookFormat: WebhookFormat = {
  headers({ deliveryId, attempt, subscription, body }) {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': deliveryId,
    };
    if (attempt > 1) headers['x-atlassian-webhook-retry'] = String(attempt - 1);
    if (subscription.secret !== '')
      headers['x-hub-signature'] = `sha256=${hmacSha256HexOf(subscription.secret, body)}`;
    return headers;
  },
};

/** The fields a changelog compares, as they were before a change. */
export type JiraIssueBefore = Pick<
  JiraFakeIssue,
  | 'summary'
  | 'description'
  | 'status'
  | 'labels'
  | 'assignee'
  | 'priority'
  | 'resolution'
  | 'issuetype'
  | 'parentId'
  | 'projectId'
  | 'key'
>;

/** A copy of what `jiraIssueUpdated` compares (take it before changing the issue). */
export function jiraIssueBefore(issue: JiraFakeIssue): JiraIssueBefore {
  const { comments: _comments, properties: _properties, custom: _custom, ...fields } = issue;
  return { ...fields, labels: [...issue.labels] };
}

/** Wall-clock milliseconds by the fake's clock, without advancing its write stamps. */
function nowMs(state: JiraFakeState): number {
  return (state.options.now ?? Date.now)();
}

function siteBase(state: JiraFakeState): string {
  return state.webhookBaseUrl?.() ?? state.sites[0]?.url ?? 'https://mysite.atlassian.net';
}

/** Plain text of an ADF document (webhooks carry the REST v2 representation: text, not ADF). */
function plainText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as { text?: unknown; content?: unknown; type?: unknown };
    if (typeof record.text === 'string') parts.push(record.text);
    if (Array.isArray(record.content)) record.content.forEach(walk);
    if (record.type === 'paragraph') parts.push('\n');
  };
  walk(value);
  return parts.join('').trim();
}

function issueBody(state: JiraFakeState, issue: JiraFakeIssue): Record<string, unknown> {
  const fields = new Set([...NAVIGABLE, ...state.customFields.map((field) => field.id)]);
  fields.delete('comment');
  const rendered = renderIssue(state, siteBase(state), issue, fields);
  const renderedFields = rendered.fields as Record<string, unknown>;
  return {
    id: rendered.id,
    self: String(rendered.self).replace('/rest/api/3/', '/rest/api/2/'),
    key: rendered.key,
    fields: { ...renderedFields, description: plainText(issue.description) },
  };
}

function webhookUser(): Record<string, unknown> {
  return {
    accountId: '5b10a2844c20165700ede21g',
    accountType: 'atlassian',
    displayName: 'Fake Jira Admin',
    active: true,
    timeZone: 'UTC',
  };
}

function scopes(state: JiraFakeState, issue: JiraFakeIssue): string[] {
  const project = state.projects.find((candidate) => candidate.id === issue.projectId);
  return project ? [project.key, project.id] : [];
}

function issueDelivery(
  hooks: FakeWebhooks,
  state: JiraFakeState,
  issue: JiraFakeIssue,
  webhookEvent: string,
  typeName: string,
  extra: Record<string, unknown> = {},
  soon = false,
): void {
  const build = () => ({
    timestamp: nowMs(state),
    webhookEvent,
    issue_event_type_name: typeName,
    user: webhookUser(),
    issue: issueBody(state, issue),
    ...extra,
  });
  if (soon) hooks.emitSoon(webhookEvent, build, scopes(state, issue));
  else hooks.emit(webhookEvent, build, scopes(state, issue));
}

/** Sends `jira:issue_created` once the creating request has written every field. */
export function jiraIssueCreated(hooks: FakeWebhooks, state: JiraFakeState, issue: JiraFakeIssue): void {
  if (hooks.active) issueDelivery(hooks, state, issue, 'jira:issue_created', 'issue_created', {}, true);
}

function item(field: string, from: unknown, fromText: unknown, to: unknown, toText: unknown) {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    field,
    fieldtype: 'jira',
    fieldId: field,
    from: text(from),
    fromString: text(fromText),
    to: text(to),
    toString: text(toText),
  };
}

/** Sends `jira:issue_updated` with a changelog of what changed since `before`; nothing when nothing did. */
export function jiraIssueUpdated(
  hooks: FakeWebhooks,
  state: JiraFakeState,
  issue: JiraFakeIssue,
  before: JiraIssueBefore,
): void {
  if (!hooks.active) return;
  const items: ReturnType<typeof item>[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(before.summary, issue.summary))
    items.push(item('summary', null, before.summary, null, issue.summary));
  if (!same(before.description, issue.description))
    items.push(item('description', null, plainText(before.description), null, plainText(issue.description)));
  if (!same(before.status, issue.status)) {
    const from = state.status(before.status);
    const to = state.status(issue.status);
    items.push(item('status', from.id, from.name, to.id, to.name));
  }
  if (!same(before.resolution, issue.resolution))
    items.push(item('resolution', null, before.resolution, null, issue.resolution));
  if (!same(before.labels, issue.labels))
    items.push(item('labels', null, before.labels.join(' '), null, issue.labels.join(' ')));
  if (!same(before.assignee, issue.assignee))
    items.push(item('assignee', before.assignee, before.assignee, issue.assignee, issue.assignee));
  if (!same(before.priority, issue.priority))
    items.push(item('priority', null, before.priority, null, issue.priority));
  if (!same(before.issuetype, issue.issuetype))
    items.push(item('issuetype', null, before.issuetype, null, issue.issuetype));
  if (!same(before.parentId, issue.parentId))
    items.push(item('IssueParentAssociation', before.parentId, null, issue.parentId, null));
  if (!same(before.projectId, issue.projectId))
    items.push(item('project', before.projectId, null, issue.projectId, null));
  if (!same(before.key, issue.key)) items.push(item('Key', null, before.key, null, issue.key));
  if (items.length === 0) return;
  const fields = new Set(items.map((entry) => entry.field));
  const typeName = fields.has('Key')
    ? 'issue_moved'
    : fields.has('status')
      ? 'issue_generic'
      : fields.size === 1 && fields.has('assignee')
        ? 'issue_assigned'
        : 'issue_updated';
  issueDelivery(hooks, state, issue, 'jira:issue_updated', typeName, {
    changelog: { id: String(nowMs(state)), items },
  });
}

/** Sends `jira:issue_deleted` (call it with the issue as it was). */
export function jiraIssueDeleted(hooks: FakeWebhooks, state: JiraFakeState, issue: JiraFakeIssue): void {
  if (hooks.active) issueDelivery(hooks, state, issue, 'jira:issue_deleted', 'issue_deleted');
}

/** Sends `comment_created` for a comment on `issue`. */
export function jiraCommentCreated(
  hooks: FakeWebhooks,
  state: JiraFakeState,
  issue: JiraFakeIssue,
  comment: JiraFakeComment,
): void {
  if (!hooks.active) return;
  hooks.emit(
    'comment_created',
    () => {
      const full = issueBody(state, issue);
      const fields = full.fields as Record<string, unknown>;
      const rendered = renderComment(state, siteBase(state), issue, comment);
      return {
        timestamp: nowMs(state),
        webhookEvent: 'comment_created',
        comment: {
          ...rendered,
          self: String(rendered.self).replace('/rest/api/3/', '/rest/api/2/'),
          body: plainText(comment.body),
          author: webhookUser(),
          updateAuthor: webhookUser(),
        },
        issue: {
          id: full.id,
          self: full.self,
          key: full.key,
          fields: {
            summary: fields.summary,
            status: fields.status,
            issuetype: fields.issuetype,
            project: fields.project,
          },
        },
      };
    },
    scopes(state, issue),
  );
}

/** Sends `issuelink_created` for `link` (the payload names both issues by id only). */
export function jiraIssueLinkCreated(hooks: FakeWebhooks, state: JiraFakeState, link: StoredLink): void {
  const source = state.issues.get(link.sourceId);
  if (!hooks.active || source === undefined) return;
  hooks.emit(
    'issuelink_created',
    () => ({
      timestamp: nowMs(state),
      webhookEvent: 'issuelink_created',
      issueLink: {
        id: Number(link.id),
        sourceIssueId: Number(link.sourceId),
        destinationIssueId: Number(link.targetId),
        issueLinkType: {
          id: Number(link.type.id),
          name: link.type.name,
          outwardName: link.type.outward,
          inwardName: link.type.inward,
          isSubTaskLinkType: false,
          isSystemLinkType: false,
        },
        sequence: 0,
        systemLink: false,
      },
    }),
    scopes(state, source),
  );
}
