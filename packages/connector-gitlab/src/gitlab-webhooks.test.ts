import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrackerEventType, WebhookPayloadError, WebhookVerificationError } from '@spec-kitty/core';
import { thrownBy } from '@spec-kitty/fake-trackers/webhooks';
import { describe, expect, it } from 'vitest';
import { gitLabConnectorDefinition } from './gitlab-definition';
import { gitlabWebhooks } from './gitlab-webhooks';

const SECRET = 'gl-secret-token-for-tests';
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '__fixtures__', 'webhooks', name), 'utf8');

function delivery(event: string, body: string, headers: Record<string, string> = {}) {
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-Gitlab-Event': event,
      'X-Gitlab-Token': SECRET,
      'Idempotency-Key': 'f3e4d7a1-0b2c-4d5e-8f90-123456789abc',
      'X-Gitlab-Webhook-UUID': '9c1b6a2e-3d4f-4a5b-8c7d-0e1f2a3b4c5d',
      ...headers,
    },
    rawBody: body,
  };
}

describe('gitlabWebhooks.verify', () => {
  it('accepts the configured secret token and rejects a wrong, missing or unconfigured one', () => {
    const body = fixture('issue-hook-open.json');
    expect(() => gitlabWebhooks.verify(delivery('Issue Hook', body), SECRET)).not.toThrow();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ 'X-Gitlab-Token': 'guessed-token' }, SECRET, 'signature_mismatch'],
      [{ 'X-Gitlab-Token': `${SECRET}x` }, SECRET, 'signature_mismatch'],
      [{ 'X-Gitlab-Token': SECRET }, 'another-secret', 'signature_mismatch'],
      [{ 'X-Gitlab-Token': '' }, SECRET, 'missing_signature'],
      [{}, '', 'missing_secret'],
    ];
    for (const [headers, secret, reason] of cases) {
      const error = thrownBy(() => gitlabWebhooks.verify(delivery('Issue Hook', body, headers), secret));
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect((error as WebhookVerificationError).reason).toBe(reason);
      expect((error as Error).message).not.toContain(SECRET);
      expect((error as Error).message).not.toContain('guessed-token');
    }
  });
});

describe('gitlabWebhooks.parse', () => {
  it('turns an Issue Hook open into a created event with the iid ref and the Idempotency-Key', () => {
    const parsed = gitlabWebhooks.parse(delivery('Issue Hook', fixture('issue-hook-open.json')));
    expect(parsed.deliveryId).toBe('f3e4d7a1-0b2c-4d5e-8f90-123456789abc');
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      eventType: TrackerEventType.CREATED,
      issueRef: {
        system: 'gitlab',
        workspace: 'gitlabhq/gitlab-test',
        id: '23',
        key: '23',
        url: 'http://example.com/gitlabhq/gitlab-test/-/issues/23',
      },
      payload: { vendorEvent: 'Issue Hook', action: 'open' },
    });
    expect(parsed.events[0]?.timestamp.toISOString()).toBe('2013-12-03T17:15:43.000Z');
  });

  it('maps close to transitioned, falls back to X-Gitlab-Webhook-UUID, and stamps the binding workspace', () => {
    const closed = fixture('issue-hook-open.json').replace('"action": "open"', '"action": "close"');
    const request = delivery('Issue Hook', closed);
    const { 'Idempotency-Key': _dropped, ...headers } = request.headers;
    const parsed = gitlabWebhooks.parse({ headers, rawBody: closed }, { workspace: '1' });
    expect(parsed.deliveryId).toBe('9c1b6a2e-3d4f-4a5b-8c7d-0e1f2a3b4c5d');
    expect(parsed.events[0]?.eventType).toBe(TrackerEventType.TRANSITIONED);
    expect(parsed.events[0]?.issueRef.workspace).toBe('1');
  });

  it('turns a Note Hook on an issue into comment_added and skips notes on merge requests', () => {
    const body = fixture('note-hook-issue.json');
    const parsed = gitlabWebhooks.parse(delivery('Note Hook', body));
    expect(parsed.events.map((event) => [event.eventType, event.issueRef.id, event.payload.noteId])).toEqual([
      [TrackerEventType.COMMENT_ADDED, '17', '1241'],
    ]);
    expect(parsed.events[0]?.timestamp.toISOString()).toBe('2015-05-17T17:06:40.000Z');
    const onMergeRequest = body.replace('"noteable_type": "Issue"', '"noteable_type": "MergeRequest"');
    expect(gitlabWebhooks.parse(delivery('Note Hook', onMergeRequest)).events).toEqual([]);
  });

  it('rejects malformed JSON, an unknown event, a mismatched object_kind and a missing iid', () => {
    const bad = [
      delivery('Issue Hook', '{"object_kind":'),
      delivery('Push Hook', fixture('issue-hook-open.json')),
      delivery('Issue Hook', fixture('note-hook-issue.json')),
      delivery('Issue Hook', fixture('issue-hook-open.json').replace('"iid": 23,', '')),
      { headers: { 'X-Gitlab-Token': SECRET }, rawBody: fixture('issue-hook-open.json') },
    ];
    for (const request of bad) {
      const error = thrownBy(() => gitlabWebhooks.parse(request));
      expect(WebhookPayloadError.isInstance(error), String(error)).toBe(true);
    }
  });
});

describe('gitLabConnectorDefinition.webhooks', () => {
  it('is gitlabWebhooks, and the connector says it supports webhooks', async () => {
    expect(gitLabConnectorDefinition.webhooks).toBe(gitlabWebhooks);
    const connector = gitLabConnectorDefinition.create({
      projectId: '42',
      token: 'glpat-test',
      baseUrl: 'https://gitlab.com/api/v4',
    } as never);
    expect((await connector.getCapabilities()).supportsWebhooks).toBe(
      gitLabConnectorDefinition.webhooks !== undefined,
    );
  });
});
