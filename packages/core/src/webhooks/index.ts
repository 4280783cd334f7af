// @spec-kitty/core/webhooks — building blocks for a connector's `webhooks` (verify and parse a
// vendor's deliveries). Node-only: it hashes with node:crypto, so the root stays runtime-neutral.
// The contract types and the errors are on the root. Importing it has no side effects.

export {
  type ConnectorWebhooksDefinition,
  defineConnectorWebhooks,
  type WebhookAuthentication,
  type WebhookBody,
  type WebhookEventParser,
  type WebhookLocation,
  type WebhookParseContext,
} from './define-webhooks';
export {
  type HmacHeaderCheck,
  hmacSha256Hex,
  parseWebhookJson,
  requireWebhookSecret,
  type TokenHeaderCheck,
  timingSafeEqualText,
  verifyHmacSha256Header,
  verifySharedTokenHeader,
  webhookBodyBytes,
  webhookDate,
  webhookHeader,
  webhookId,
  webhookObject,
  webhookPayloadFail,
  webhookString,
} from './webhook-helpers';
