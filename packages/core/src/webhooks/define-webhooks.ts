// One assembly for every connector's `webhooks`: where the vendor names the event and the delivery
// id, how it proves a delivery, and one parser per event. The vendor file then holds only what the
// vendor documents; the order of checks, the error texts and the frozen result are the same for all.
import type { TrackerEvent } from '../model/page';
import type { JsonValue } from '../util/json-value';
import {
  parseWebhookJson,
  verifyHmacSha256Header,
  verifySharedTokenHeader,
  webhookHeader,
  webhookPayloadFail,
  webhookString,
} from './webhook-helpers';
import type {
  ConnectorWebhooks,
  WebhookDelivery,
  WebhookParseOptions,
  WebhookRequest,
  WebhookVerifyOptions,
} from './webhook-types';

/** A JSON object body. */
export type WebhookBody = Record<string, JsonValue>;

/** What a definition's parsers get besides the body. */
export interface WebhookParseContext {
  /** The vendor's event name, e.g. `issues`. */
  readonly vendorEvent: string;
  /** Prefix for event ids: the delivery id, or the definition's `eventIdPrefix` when there is none. */
  readonly deliveryKey: string;
  /** `WebhookParseOptions.workspace`, when the host passed one. */
  readonly workspace: string | undefined;
  /** The request (for a header a parser needs). */
  readonly request: WebhookRequest;
}

/** Turns one event's body into tracker events (empty for a delivery that touches no issue). */
export type WebhookEventParser = (body: WebhookBody, context: WebhookParseContext) => TrackerEvent[];

/** How deliveries prove they come from the vendor. */
export type WebhookAuthentication =
  /** A hex HMAC-SHA256 of the raw body, keyed with the secret, in `header` after `prefix`. */
  | {
      readonly kind: 'hmac-sha256';
      readonly header: string;
      readonly prefix: string;
      readonly secretHint: string;
    }
  /** The secret itself in `header` (compared in constant time). */
  | { readonly kind: 'token'; readonly header: string; readonly secretHint: string }
  /** Anything else: a function that throws `WebhookVerificationError`. */
  | {
      readonly kind: 'custom';
      verify(request: WebhookRequest, secret: string, options?: WebhookVerifyOptions): void;
    };

/**
 * Where a value sits in a delivery: a top-level body field, then the first present of several
 * headers (either may be left out).
 */
export interface WebhookLocation {
  readonly field?: string;
  readonly headers?: readonly string[];
}

/** What `defineConnectorWebhooks` assembles. */
export interface ConnectorWebhooksDefinition {
  /** The connector id, for messages (e.g. `github`). */
  readonly connectorId: string;
  /** `ConnectorWebhooks.scheme`. */
  readonly scheme: string;
  readonly authentication: WebhookAuthentication;
  /** Where the vendor names the event; a header alone is read before the body is parsed. */
  readonly event: WebhookLocation;
  /** The message when the event is not there, e.g. "is this a GitHub webhook delivery?". */
  readonly missingEvent: string;
  /** Where the delivery id is (null when absent). */
  readonly deliveryId: WebhookLocation;
  /** The parser of each event the connector understands. */
  readonly parsers: Readonly<Record<string, WebhookEventParser>>;
  /** What to subscribe to instead, appended to "unsupported event" messages. */
  readonly subscribeHint: string;
  /** Event id prefix when a delivery has no id (default the connector id). */
  readonly eventIdPrefix?: string;
  /**
   * Checks the body before the parser runs (e.g. a field every event must have); throws
   * `WebhookPayloadError` through `webhookPayloadFail`.
   */
  readonly checkBody?: (body: WebhookBody, vendorEvent: string) => void;
}

function locate(request: WebhookRequest, body: WebhookBody | null, where: WebhookLocation): string | null {
  const fromBody = where.field === undefined || body === null ? null : webhookString(body[where.field]);
  if (fromBody !== null) return fromBody;
  for (const name of where.headers ?? []) {
    const value = webhookHeader(request.headers, name);
    if (value !== null) return value;
  }
  return null;
}

function verifier(connectorId: string, authentication: WebhookAuthentication): ConnectorWebhooks['verify'] {
  switch (authentication.kind) {
    case 'hmac-sha256':
      return (request, secret) => verifyHmacSha256Header(request, secret, { connectorId, ...authentication });
    case 'token':
      return (request, secret) =>
        verifySharedTokenHeader(request, secret, { connectorId, ...authentication });
    default:
      return (request, secret, options) => authentication.verify(request, secret, options);
  }
}

/**
 * Builds a connector's `webhooks` from its definition: `verify` by the authentication scheme;
 * `parse` reads the event name (a header before the body is parsed, so an unsupported event is
 * refused without reading it), refuses an event without a parser, parses the body as a JSON
 * object, reads the delivery id, runs `checkBody` and the event's parser, and returns the
 * delivery frozen. Errors are `WebhookVerificationError` / `WebhookPayloadError` naming the connector.
 */
export function defineConnectorWebhooks(definition: ConnectorWebhooksDefinition): ConnectorWebhooks {
  const { connectorId, event, parsers } = definition;
  function unsupported(vendorEvent: string): never {
    webhookPayloadFail(connectorId, `unsupported event "${vendorEvent}". ${definition.subscribeHint}`);
  }
  const parse = (request: WebhookRequest, options?: WebhookParseOptions): WebhookDelivery => {
    let body: WebhookBody | null = null;
    if (event.field !== undefined) body = parseWebhookJson(connectorId, request);
    const vendorEvent = locate(request, body, event);
    if (vendorEvent === null) webhookPayloadFail(connectorId, definition.missingEvent);
    const parser = Object.hasOwn(parsers, vendorEvent) ? parsers[vendorEvent] : undefined;
    if (parser === undefined) unsupported(vendorEvent);
    body ??= parseWebhookJson(connectorId, request);
    const deliveryId = locate(request, body, definition.deliveryId);
    definition.checkBody?.(body, vendorEvent);
    const events = parser(body, {
      vendorEvent,
      deliveryKey: deliveryId ?? definition.eventIdPrefix ?? connectorId,
      workspace: options?.workspace,
      request,
    });
    return Object.freeze({ deliveryId, vendorEvent, events: Object.freeze(events) });
  };
  return Object.freeze({
    scheme: definition.scheme,
    verify: verifier(connectorId, definition.authentication),
    parse,
  });
}
