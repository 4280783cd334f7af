import { createRef, TrackerEventType } from '@spec-kitty/core';
import { defineConnectorWebhooks } from '@spec-kitty/core/webhooks';
import { describe, expect, it } from 'vitest';
import { FakeWebhooks } from './fake-webhooks';
import { thrownBy } from './webhook-receiver';
import { webhookReceiverFixture } from './webhook-receiver-fixture';

const hooks = webhookReceiverFixture();

/** A token-authenticated dialect: the fake sends the subscription's secret, the connector checks it. */
const acmeWebhooks = defineConnectorWebhooks({
  connectorId: 'acme',
  scheme: 'X-Acme-Token',
  authentication: { kind: 'token', header: 'X-Acme-Token', secretHint: 'Set it in Acme.' },
  event: { headers: ['X-Acme-Event'] },
  missingEvent: 'the X-Acme-Event header is missing.',
  deliveryId: { headers: ['X-Acme-Delivery'] },
  subscribeHint: 'Subscribe to issue events.',
  parsers: {
    issue: (body, { deliveryKey, workspace }) => [
      {
        eventId: deliveryKey,
        eventType: TrackerEventType.UPDATED,
        issueRef: createRef({ system: 'acme', workspace: workspace ?? 'acme', id: String(body.id) }),
        timestamp: new Date(0),
        payload: {},
      },
    ],
  },
});

function acmeFake(): FakeWebhooks {
  return new FakeWebhooks({
    headers: ({ event, deliveryId, subscription }) => ({
      'content-type': 'application/json',
      'x-acme-event': event,
      'x-acme-delivery': deliveryId,
      'x-acme-token': subscription.secret,
    }),
  });
}

describe('webhookReceiverFixture', () => {
  it('has no receiver before subscribe, and subscribes a started one with the given secret', async () => {
    expect(String(thrownBy(() => hooks.receiver))).toContain('call subscribe() first');
    const webhooks = acmeFake();
    const receiver = await hooks.subscribe(webhooks, { secret: 's3cret' });
    expect(hooks.receiver).toBe(receiver);
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook$/);
  });

  it('verifies each delivery since a mark with the subscription secret, then parses it', async () => {
    const webhooks = acmeFake();
    await hooks.subscribe(webhooks, { secret: 's3cret' });
    webhooks.emit('issue', () => ({ id: 1 }));
    webhooks.emit('issue', () => ({ id: 2 }));
    const deliveries = await hooks.deliveriesSince(1, acmeWebhooks, { workspace: 'w' });
    expect(deliveries.map((delivery) => delivery.deliveryId)).toEqual([webhooks.deliveries()[1]?.id]);
    expect(
      (await hooks.eventsSince(0, acmeWebhooks)).map((event) => [
        event.issueRef.workspace,
        event.issueRef.id,
      ]),
    ).toEqual([
      ['acme', '1'],
      ['acme', '2'],
    ]);
    // Another subscriber's secret does not verify what this receiver got.
    const other = acmeFake();
    await hooks.subscribe(other, { secret: 'other' });
    await webhooks.idle();
    webhooks.subscribe({ url: hooks.receiver.url, secret: 'not-other' });
    webhooks.emit('issue', () => ({ id: 3 }));
    await webhooks.idle();
    await expect(hooks.eventsSince(0, acmeWebhooks)).rejects.toMatchObject({ reason: 'signature_mismatch' });
  });

  it('forgets the previous test’s receiver', () => {
    expect(String(thrownBy(() => hooks.receiver))).toContain('call subscribe() first');
  });
});

describe('thrownBy', () => {
  it('returns the error thrown and fails when none is', () => {
    const error = new Error('boom');
    expect(
      thrownBy(() => {
        throw error;
      }),
    ).toBe(error);
    expect(() => thrownBy(() => 1)).toThrow('expected an error');
  });
});
