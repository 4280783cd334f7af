import { afterEach, describe, expect, it } from 'vitest';
import { FakeWebhooks } from './fake-webhooks';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const format = { headers: ({ event }: { event: string }) => ({ 'x-event': event }) };

describe('FakeWebhooks', () => {
  it('sends nothing without subscribers and builds no body', async () => {
    const hooks = new FakeWebhooks(format);
    let built = 0;
    hooks.emit('issue', () => ++built);
    await hooks.idle();
    expect([built, hooks.deliveries().length, hooks.active]).toEqual([0, 0, false]);
  });

  it('records an unreachable receiver once without retry, and retries a failing one when asked', async () => {
    const failing = await startWebhookReceiver({ status: 503 });
    receivers.push(failing);
    const hooks = new FakeWebhooks(format);
    hooks.subscribe({ url: 'http://127.0.0.1:9/closed', secret: 's' });
    hooks.subscribe({ url: failing.url, secret: 's', retry: true });
    hooks.emit('issue', ({ deliveryId }) => ({ deliveryId }));
    await hooks.idle();
    const [unreachable, retried] = hooks.deliveries();
    expect(unreachable).toMatchObject({ status: null, attempts: 1 });
    expect(unreachable?.error).toBeTruthy();
    expect(retried).toMatchObject({ status: 503, error: null, attempts: 4 });
    expect(failing.received).toHaveLength(4);
    // Every attempt carries the same body and delivery id.
    expect(new Set(failing.received.map((request) => request.rawBody.toString())).size).toBe(1);
    expect(JSON.parse(failing.received[0]?.rawBody.toString() ?? '{}')).toEqual({ deliveryId: retried?.id });
  });

  it('refuses a subscription without an http URL', () => {
    expect(() => new FakeWebhooks(format).subscribe({ url: 'ftp://x', secret: 's' })).toThrow(/http/);
  });
});
