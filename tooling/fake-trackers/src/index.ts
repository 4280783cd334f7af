export {
  type CallRecord,
  type FakeRequest,
  type FakeResponse,
  FakeServer,
  type FakeServerOptions,
  type Fault,
  type FaultRule,
  type RequestValidator,
  type ResponseValidator,
  type RouteDefinition,
  type RouteHandler,
  withFakeServer,
} from './server/fake-server';
export { sharedSpecPath } from './server/shared-specs';
export {
  type FakeWebhookDelivery,
  type FakeWebhookSubscriptionInit,
  FakeWebhooks,
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhooks';
