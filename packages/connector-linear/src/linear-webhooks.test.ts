import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrackerEventType, WebhookPayloadError, WebhookVerificationError } from '@spec-kitty/core';
import { thrownBy } from '@spec-kitty/fake-trackers/webhooks';
import { describe, expect, it } from 'vitest';
import { linearConnectorDefinition } from './linear-definition';
import { linearWebhooks } from './linear-webhooks';

const SECRET = 'lin_wh_signing_secret_for_tests';
const NOW = new Date('2026-12-07T05:30:00.000Z');
const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** The sample with its webhookTimestamp set to `sentAt`, as the raw text Linear would send. */
function sample(name: string, sentAt = NOW): string {
  const text = readFileSync(join(import.meta.dirname, '__fixtures__', 'webhooks', name), 'utf8');
  return text.replace(/"webhookTimestamp": \d+/, `"webhookTimestamp": ${sentAt.getTime()}`);
}

function delivery(body: string, headers: Record<string, string> = {}) {
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'linear-delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72',
      'linear-event': 'Issue',
      'linear-signature': sign(body),
      ...headers,
    },
    rawBody: Buffer.from(body),
  };
}

describe('linearWebhooks.verify', () => {
  it('accepts a signed delivery sent within the minute', () => {
    const body = sample('issue-create.json', new Date(NOW.getTime() - 59_000));
    expect(() => linearWebhooks.verify(delivery(body), SECRET, { now: NOW })).not.toThrow();
  });

  it('rejects forged, wrongly keyed and unsigned deliveries', () => {
    const body = sample('issue-create.json');
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'linear-signature': sign(body.replace('Foo bar', 'Pwned')) }, 'signature_mismatch'],
      [{ 'linear-signature': sign(body, 'other-secret') }, 'signature_mismatch'],
      [{ 'linear-signature': '' }, 'missing_signature'],
      [{ 'linear-signature': `sha256=${sign(body)}` }, 'malformed_signature'],
    ];
    for (const [headers, reason] of cases) {
      const error = thrownBy(() => linearWebhooks.verify(delivery(body, headers), SECRET, { now: NOW }));
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect((error as WebhookVerificationError).reason).toBe(reason);
      expect((error as Error).message).not.toContain(SECRET);
      expect((error as Error).message).not.toContain(sign(body));
    }
  });

  it('rejects a correctly signed delivery whose timestamp is over a minute old or ahead (replay)', () => {
    for (const offset of [-61_000, 61_000, -3_600_000]) {
      const body = sample('issue-create.json', new Date(NOW.getTime() + offset));
      const error = thrownBy(() => linearWebhooks.verify(delivery(body), SECRET, { now: NOW }));
      expect((error as WebhookVerificationError).reason).toBe('stale');
      expect((error as Error).message).toMatch(/replayed delivery or a wrong clock/);
    }
    const old = sample('issue-create.json', new Date(NOW.getTime() - 120_000));
    expect(() =>
      linearWebhooks.verify(delivery(old), SECRET, { now: NOW, toleranceMs: 300_000 }),
    ).not.toThrow();
    const untimed = sample('issue-create.json').replace(/"webhookTimestamp": \d+,/, '');
    expect(
      (
        thrownBy(() =>
          linearWebhooks.verify(delivery(untimed), SECRET, { now: NOW }),
        ) as WebhookVerificationError
      ).reason,
    ).toBe('stale');
  });
});

describe('linearWebhooks.parse', () => {
  it('turns an Issue create into a created event with the issue ref and Linear-Delivery id', () => {
    const parsed = linearWebhooks.parse(delivery(sample('issue-create.json')), { workspace: 'acme' });
    expect(parsed.deliveryId).toBe('234d1a4e-b617-4388-90fe-adc3633d6b72');
    expect(parsed.vendorEvent).toBe('Issue');
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      eventType: TrackerEventType.CREATED,
      issueRef: {
        system: 'linear',
        workspace: 'acme',
        id: '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9',
        key: 'LIN-1778',
        url: 'https://linear.app/issue/LIN-1778/foo-bar',
      },
      payload: { vendorEvent: 'Issue', action: 'create' },
    });
    expect(parsed.events[0]?.timestamp.toISOString()).toBe('2026-12-07T05:00:00.000Z');
  });

  it('maps a state change to transitioned, remove to a deletion, and a Comment create to comment_added', () => {
    const moved = linearWebhooks.parse(delivery(sample('issue-update-state.json')));
    expect(moved.events[0]?.eventType).toBe(TrackerEventType.TRANSITIONED);
    expect(moved.events[0]?.issueRef.workspace).toBe('linear');
    const removed = linearWebhooks.parse(
      delivery(sample('issue-create.json').replace('"action": "create"', '"action": "remove"')),
    );
    expect(removed.events[0]?.eventType).toBe(TrackerEventType.DELETED);
    expect(removed.events[0]?.payload.deleted).toBe(true);
    const comment = linearWebhooks.parse(delivery(sample('comment-create.json')));
    expect(
      comment.events.map((event) => [
        event.eventType,
        event.issueRef.id,
        event.issueRef.key,
        event.payload.commentId,
      ]),
    ).toEqual([
      [
        TrackerEventType.COMMENT_ADDED,
        '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9',
        'LIN-1778',
        'c0ffee00-1234-4a5b-9c8d-7e6f5a4b3c2d',
      ],
    ]);
  });

  it('accepts an untracked resource type with no events', () => {
    const body = sample('issue-create.json').replace('"type": "Issue"', '"type": "Cycle"');
    expect(linearWebhooks.parse(delivery(body)).events).toEqual([]);
  });

  it('rejects malformed JSON, an unknown type, an unknown action and an Issue without an id', () => {
    const bad = [
      '{"type":"Issue"',
      sample('issue-create.json').replace('"type": "Issue"', '"type": "Spaceship"'),
      sample('issue-create.json').replace('"action": "create"', '"action": "explode"'),
      sample('issue-create.json').replace('"id": "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9",', ''),
    ];
    for (const body of bad) {
      const error = thrownBy(() => linearWebhooks.parse(delivery(body)));
      expect(WebhookPayloadError.isInstance(error), String(error)).toBe(true);
    }
  });
});

describe('linearConnectorDefinition.webhooks', () => {
  it('is linearWebhooks, and the connector says it supports webhooks', async () => {
    expect(linearConnectorDefinition.webhooks).toBe(linearWebhooks);
    const connector = linearConnectorDefinition.create({ apiKey: 'lin_api_test', teamId: 'team' } as never);
    expect((await connector.getCapabilities()).supportsWebhooks).toBe(
      linearConnectorDefinition.webhooks !== undefined,
    );
  });
});
