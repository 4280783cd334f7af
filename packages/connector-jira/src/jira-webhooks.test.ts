import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrackerEventType, WebhookPayloadError, WebhookVerificationError } from '@spec-kitty/core';
import { thrownBy } from '@spec-kitty/fake-trackers/webhooks';
import { describe, expect, it } from 'vitest';
import { jiraConnectorDefinition } from './jira-definition';
import { jiraWebhooks } from './jira-webhooks';

const SECRET = 'jira-admin-webhook-secret-for-tests';
const SITE = 'https://your-domain.atlassian.net';
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '__fixtures__', 'webhooks', name), 'utf8');
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function delivery(body: string, headers: Record<string, string> = {}) {
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-Atlassian-Webhook-Identifier': '7d0b1e3c-7a6a-4f6f-9d4e-1f2a3b4c5d6e',
      'X-Hub-Signature': sign(body),
      ...headers,
    },
    rawBody: body,
  };
}

describe('jiraWebhooks.verify', () => {
  it('accepts a delivery signed with the admin webhook secret and rejects forged, wrongly keyed and unsigned ones', () => {
    const body = fixture('issue-created.json');
    expect(() => jiraWebhooks.verify(delivery(body), SECRET)).not.toThrow();
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'X-Hub-Signature': sign(body.replace('TEST-2', 'TEST-9')) }, 'signature_mismatch'],
      [{ 'X-Hub-Signature': sign(body, 'other-secret') }, 'signature_mismatch'],
      [{ 'X-Hub-Signature': '' }, 'missing_signature'],
      [{ 'X-Hub-Signature': '', Authorization: 'JWT eyJhbGciOiJIUzI1NiJ9.e30.x' }, 'missing_signature'],
      [{ 'X-Hub-Signature': sign(body).slice(7) }, 'malformed_signature'],
    ];
    for (const [headers, reason] of cases) {
      const error = thrownBy(() => jiraWebhooks.verify(delivery(body, headers), SECRET));
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect((error as WebhookVerificationError).reason).toBe(reason);
      expect((error as Error).message).not.toContain(SECRET);
    }
  });
});

describe('jiraWebhooks.parse', () => {
  it('turns jira:issue_created into a created event with the site, id and key, and the webhook identifier', () => {
    const parsed = jiraWebhooks.parse(delivery(fixture('issue-created.json')));
    expect(parsed.deliveryId).toBe('7d0b1e3c-7a6a-4f6f-9d4e-1f2a3b4c5d6e');
    expect(parsed.vendorEvent).toBe('jira:issue_created');
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      eventType: TrackerEventType.CREATED,
      issueRef: { system: 'jira', workspace: SITE, id: '10002', key: 'TEST-2', url: `${SITE}/browse/TEST-2` },
    });
    expect(parsed.events[0]?.timestamp.getTime()).toBe(1796619600000);
  });

  it('maps a status change to transitioned, a deletion to deleted, and a comment to comment_added', () => {
    expect(jiraWebhooks.parse(delivery(fixture('issue-updated-status.json'))).events[0]?.eventType).toBe(
      TrackerEventType.TRANSITIONED,
    );
    const edited = fixture('issue-updated-status.json').replace('"field": "status"', '"field": "summary"');
    expect(jiraWebhooks.parse(delivery(edited)).events[0]?.eventType).toBe(TrackerEventType.UPDATED);
    const deleted = jiraWebhooks.parse(
      delivery(fixture('issue-created.json').replace('jira:issue_created', 'jira:issue_deleted')),
    );
    expect(deleted.events[0]?.eventType).toBe(TrackerEventType.DELETED);
    expect(deleted.events[0]?.payload).toMatchObject({ vendorEvent: 'jira:issue_deleted', deleted: true });
    const comment = jiraWebhooks.parse(delivery(fixture('comment-created.json')), {
      workspace: 'https://acme.atlassian.net',
    });
    expect(
      comment.events.map((event) => [
        event.eventType,
        event.issueRef.workspace,
        event.issueRef.key,
        event.payload.commentId,
      ]),
    ).toEqual([[TrackerEventType.COMMENT_ADDED, 'https://acme.atlassian.net', 'TEST-2', '10100']]);
  });

  it('turns issuelink_created into link events on both issues, with the binding site', () => {
    const parsed = jiraWebhooks.parse(delivery(fixture('issuelink-created.json')), { workspace: SITE });
    expect(
      parsed.events.map((event) => [
        event.eventType,
        event.issueRef.id,
        event.payload.end,
        event.payload.linkType,
      ]),
    ).toEqual([
      [TrackerEventType.LINK_UPSERTED, '10002', 'source', 'Blocks'],
      [TrackerEventType.LINK_UPSERTED, '10003', 'destination', 'Blocks'],
    ]);
    const error = thrownBy(() => jiraWebhooks.parse(delivery(fixture('issuelink-created.json'))));
    expect(WebhookPayloadError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('workspace option');
  });

  it('rejects malformed JSON, an unknown event and an issue event without its issue', () => {
    const bad = [
      '{"webhookEvent":',
      fixture('issue-created.json').replace('jira:issue_created', 'sprint_started'),
      '{"timestamp":1,"webhookEvent":"jira:issue_updated"}',
      '{"timestamp":1}',
    ];
    for (const body of bad) {
      const error = thrownBy(() => jiraWebhooks.parse(delivery(body)));
      expect(WebhookPayloadError.isInstance(error), String(error)).toBe(true);
    }
  });
});

describe('jiraConnectorDefinition.webhooks', () => {
  it('is jiraWebhooks, and the connector says it supports webhooks', async () => {
    expect(jiraConnectorDefinition.webhooks).toBe(jiraWebhooks);
    const connector = jiraConnectorDefinition.create({
      baseUrl: 'https://your-domain.atlassian.net',
      email: 'c@example.com',
      apiToken: 'token',
      projectKey: 'TEST',
    } as never);
    expect((await connector.getCapabilities()).supportsWebhooks).toBe(
      jiraConnectorDefinition.webhooks !== undefined,
    );
  });
});
