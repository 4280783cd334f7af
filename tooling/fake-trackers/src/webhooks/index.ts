export {
  type FakeWebhookDelivery,
  type FakeWebhookSubscription,
  type FakeWebhookSubscriptionInit,
  FakeWebhooks,
  type WebhookBodyContext,
  type WebhookEnvelope,
  type WebhookFormat,
} from './fake-webhooks';
export {
  type ReceivedWebhook,
  receivedSince,
  startWebhookReceiver,
  tamperedBody,
  thrownBy,
  verificationOutcome,
  type WebhookReceiver,
} from './webhook-receiver';
export { type WebhookReceiverFixture, webhookReceiverFixture } from './webhook-receiver-fixture';
export { postWebhook, type WebhookPostResult } from './webhook-sender';
