import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrackerEventType, WebhookPayloadError, WebhookVerificationError } from '@spec-kitty/core';
import { thrownBy } from '@spec-kitty/fake-trackers/webhooks';
import { describe, expect, it } from 'vitest';
import { githubConnectorDefinition } from './github-definition';
import { githubWebhooks } from './github-webhooks';

const SECRET = 'gh-webhook-secret-for-tests';
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '__fixtures__', 'webhooks', name), 'utf8');
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function delivery(event: string, body: string, headers: Record<string, string> = {}) {
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': sign(body),
      ...headers,
    },
    rawBody: new TextEncoder().encode(body),
  };
}

describe('githubWebhooks.verify', () => {
  it("accepts GitHub's documented test vector", () => {
    const request = {
      headers: {
        'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      },
      rawBody: 'Hello, World!',
    };
    expect(() => githubWebhooks.verify(request, "It's a Secret to Everybody")).not.toThrow();
  });

  it('accepts a signed sample and rejects forged, wrongly keyed, unsigned and legacy-only deliveries', () => {
    const body = fixture('issues-opened.json');
    expect(() => githubWebhooks.verify(delivery('issues', body), SECRET)).not.toThrow();
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { 'x-hub-signature-256': sign(body.replace('Found a bug', 'Found a feature')) },
        body,
        'signature_mismatch',
      ],
      [{ 'x-hub-signature-256': sign(body, 'someone-else') }, body, 'signature_mismatch'],
      [{ 'x-hub-signature-256': '' }, body, 'missing_signature'],
      [{ 'x-hub-signature-256': `sha1=${'0'.repeat(40)}` }, body, 'malformed_signature'],
    ];
    for (const [headers, rawBody, reason] of cases) {
      const error = thrownBy(() => githubWebhooks.verify(delivery('issues', rawBody, headers), SECRET));
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect((error as WebhookVerificationError).reason).toBe(reason);
      expect((error as Error).message).not.toContain(SECRET);
    }
    // An altered body under the original signature.
    const tampered = {
      ...delivery('issues', body),
      rawBody: body.replace('octocat/Hello-World', 'evil/repo'),
    };
    expect((thrownBy(() => githubWebhooks.verify(tampered, SECRET)) as WebhookVerificationError).reason).toBe(
      'signature_mismatch',
    );
  });
});

describe('githubWebhooks.parse', () => {
  it('turns an issues.opened delivery into a created event with the issue ref and the delivery id', () => {
    const parsed = githubWebhooks.parse(delivery('issues', fixture('issues-opened.json')));
    expect(parsed.deliveryId).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(parsed.vendorEvent).toBe('issues');
    expect(parsed.events).toHaveLength(1);
    const [event] = parsed.events;
    expect(event?.eventType).toBe(TrackerEventType.CREATED);
    expect(event?.issueRef).toMatchObject({
      system: 'github',
      workspace: 'octocat/Hello-World',
      id: '1347',
      key: '#1347',
      url: 'https://github.com/octocat/Hello-World/issues/1347',
    });
    expect(event?.timestamp.toISOString()).toBe('2011-04-22T13:33:48.000Z');
    expect(event?.payload).toEqual({ vendorEvent: 'issues', action: 'opened' });
  });

  it('maps closed to transitioned, deleted to a deletion (still flagged deleted), and honours the workspace option', () => {
    const closed = githubWebhooks.parse(delivery('issues', fixture('issues-closed.json')), {
      workspace: 'acme/app',
    });
    expect(closed.events[0]?.eventType).toBe(TrackerEventType.TRANSITIONED);
    expect(closed.events[0]?.issueRef.workspace).toBe('acme/app');
    const deletedBody = fixture('issues-opened.json').replace('"opened"', '"deleted"');
    const deleted = githubWebhooks.parse(delivery('issues', deletedBody));
    expect(deleted.events[0]?.eventType).toBe(TrackerEventType.DELETED);
    expect(deleted.events[0]?.payload).toMatchObject({ action: 'deleted', deleted: true });
  });

  it('maps issue_comment.created to comment_added and skips pull-request comments', () => {
    const body = fixture('issue-comment-created.json');
    const parsed = githubWebhooks.parse(delivery('issue_comment', body));
    expect(
      parsed.events.map((event) => [event.eventType, event.issueRef.id, event.payload.commentId]),
    ).toEqual([[TrackerEventType.COMMENT_ADDED, '1347', '1']]);
    const onPull = JSON.parse(body) as { issue: Record<string, unknown> };
    onPull.issue.pull_request = { url: 'https://api.github.com/repos/octocat/Hello-World/pulls/1347' };
    expect(githubWebhooks.parse(delivery('issue_comment', JSON.stringify(onPull))).events).toEqual([]);
  });

  it('maps sub_issues to link events on both the parent and the child', () => {
    const parsed = githubWebhooks.parse(delivery('sub_issues', fixture('sub-issues-added.json')));
    expect(parsed.events.map((event) => [event.eventType, event.issueRef.id, event.payload.role])).toEqual([
      [TrackerEventType.LINK_UPSERTED, '1347', 'parent'],
      [TrackerEventType.LINK_UPSERTED, '1348', 'child'],
    ]);
    expect(new Set(parsed.events.map((event) => event.eventId)).size).toBe(2);
  });

  it('accepts a ping with no events', () => {
    expect(
      githubWebhooks.parse(delivery('ping', '{"zen":"Keep it logically awesome.","hook_id":1}')).events,
    ).toEqual([]);
  });

  it('rejects malformed JSON, an unknown event, a missing event header and a payload without its issue', () => {
    const bad = [
      delivery('issues', '{"action":"opened",'),
      delivery('push', fixture('issues-opened.json')),
      { headers: { 'x-github-delivery': 'x' }, rawBody: fixture('issues-opened.json') },
      delivery('issues', '{"action":"opened","repository":{"full_name":"octocat/Hello-World"}}'),
      delivery('issues', '[]'),
    ];
    for (const request of bad) {
      const error = thrownBy(() => githubWebhooks.parse(request));
      expect(WebhookPayloadError.isInstance(error), String(error)).toBe(true);
    }
    expect(String(thrownBy(() => githubWebhooks.parse(delivery('push', '{}'))))).toContain(
      'unsupported event "push"',
    );
  });
});

describe('githubConnectorDefinition.webhooks', () => {
  it('is githubWebhooks, and the connector says it supports webhooks', async () => {
    expect(githubConnectorDefinition.webhooks).toBe(githubWebhooks);
    const connector = githubConnectorDefinition.create({
      owner: 'octo',
      repo: 'hello',
      token: 'ghp_test',
    } as never);
    expect((await connector.getCapabilities()).supportsWebhooks).toBe(
      githubConnectorDefinition.webhooks !== undefined,
    );
  });
});
