// What every live webhook test sets up the same way: receivers closed after each test, one of them
// subscribed to a fake's webhooks, and "what arrived since N", each delivery verified with the
// subscription's secret and then parsed by the connector.
import type { ConnectorWebhooks, TrackerEvent, WebhookDelivery, WebhookParseOptions } from '@spec-kitty/core';
import { afterEach } from 'vitest';
import type { FakeWebhookSubscriptionInit, FakeWebhooks } from './fake-webhooks';
import { receivedSince, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

/** The receivers of the running test; see `webhookReceiverFixture`. */
export interface WebhookReceiverFixture {
  /** The receiver `subscribe` started in the running test. */
  readonly receiver: WebhookReceiver;
  /** Starts a receiver answering `status` (default 204), closed after the test. */
  start(options?: { status?: number }): Promise<WebhookReceiver>;
  /** Starts the test's `receiver` and subscribes it to `webhooks` with `init`. */
  subscribe(
    webhooks: Pick<FakeWebhooks, 'subscribe' | 'idle'>,
    init: Omit<FakeWebhookSubscriptionInit, 'url'>,
  ): Promise<WebhookReceiver>;
  /**
   * What `receiver` got since the `from`-th request, once every delivery sent so far was answered:
   * each verified with the subscription's secret (the first that fails throws), then parsed.
   */
  deliveriesSince(
    from: number,
    connector: ConnectorWebhooks,
    options?: WebhookParseOptions,
  ): Promise<WebhookDelivery[]>;
  /** The events of `deliveriesSince`, in arrival order. */
  eventsSince(
    from: number,
    connector: ConnectorWebhooks,
    options?: WebhookParseOptions,
  ): Promise<TrackerEvent[]>;
}

/**
 * Vitest fixture for live webhook tests; call it at module level. After each test every receiver
 * it started is closed.
 *
 * ```ts
 * const hooks = webhookReceiverFixture();
 * beforeEach(async () => {
 *   fake = await track(new JiraFake(…).start());
 *   await hooks.subscribe(fake.webhooks, { secret: SECRET, scope: 'PROJ' });
 * });
 * it('…', async () => {
 *   expect(await hooks.eventsSince(0, jiraWebhooks)).toMatchObject([…]);
 * });
 * ```
 */
export function webhookReceiverFixture(): WebhookReceiverFixture {
  const started: WebhookReceiver[] = [];
  let current: { receiver: WebhookReceiver; webhooks: Pick<FakeWebhooks, 'idle'>; secret: string } | null =
    null;
  afterEach(async () => {
    current = null;
    await Promise.all(started.splice(0).map((receiver) => receiver.close()));
  });
  const subscribed = () => {
    if (current === null) throw new Error('webhookReceiverFixture: call subscribe() first (in beforeEach)');
    return current;
  };
  const start = async (options: { status?: number } = {}) => {
    const receiver = await startWebhookReceiver(options);
    started.push(receiver);
    return receiver;
  };
  const deliveriesSince = async (
    from: number,
    connector: ConnectorWebhooks,
    options?: WebhookParseOptions,
  ) => {
    const { receiver, webhooks, secret } = subscribed();
    return (await receivedSince(webhooks, receiver, from)).map((request) => {
      connector.verify(request, secret);
      return connector.parse(request, options);
    });
  };
  return {
    get receiver() {
      return subscribed().receiver;
    },
    start,
    async subscribe(webhooks, init) {
      const receiver = await start();
      webhooks.subscribe({ ...init, url: receiver.url });
      current = { receiver, webhooks, secret: init.secret };
      return receiver;
    },
    deliveriesSince,
    async eventsSince(from, connector, options) {
      return (await deliveriesSince(from, connector, options)).flatMap((delivery) => delivery.events);
    },
  };
}
