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
  verificationOutcome,
  type WebhookReceiver,
} from './webhook-receiver';
export { postWebhook, type WebhookPostResult } from './webhook-sender';
