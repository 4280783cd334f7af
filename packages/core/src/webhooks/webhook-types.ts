import type { TrackerEvent } from '../model/page';

/**
 * Request headers as node:http (`IncomingMessage.headers`), fetch (`Headers`) or a plain record
 * gives them. Names are matched case-insensitively.
 */
export type WebhookHeaders =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/** One incoming webhook request: its headers and its body exactly as received (before any JSON parsing). */
export interface WebhookRequest {
  /** The request headers. */
  readonly headers: WebhookHeaders;
  /** The raw body; signatures are computed over these bytes, so never pass re-serialised JSON. */
  readonly rawBody: Uint8Array | string;
}

/** Options of `ConnectorWebhooks.verify`. */
export interface WebhookVerifyOptions {
  /** The current time, for the replay window (default: now). */
  readonly now?: Date;
  /**
   * How far the vendor's delivery timestamp may be from `now`, in milliseconds, for vendors that
   * sign one (Linear: default 60 000). Ignored by vendors that send no timestamp.
   */
  readonly toleranceMs?: number;
}

/** Options of `ConnectorWebhooks.parse`. */
export interface WebhookParseOptions {
  /**
   * `ExternalRef.workspace` to stamp on the events' refs: the workspace of the binding the
   * delivery arrived for, as its connector writes refs (e.g. GitLab's configured `projectId`).
   * Default: what the payload names (documented per connector).
   */
  readonly workspace?: string;
}

/** What one verified delivery carries. */
export interface WebhookDelivery {
  /**
   * The vendor's delivery id, stable across the vendor's retries of the same delivery where the
   * vendor documents one (GitHub `X-GitHub-Delivery`, GitLab `Idempotency-Key`, Linear
   * `Linear-Delivery`, Jira `X-Atlassian-Webhook-Identifier`, Azure DevOps the event `id`);
   * null when the request has none. Use it to drop duplicate deliveries.
   */
  readonly deliveryId: string | null;
  /** The vendor's event name, e.g. `issues`, `Issue Hook`, `jira:issue_updated`. */
  readonly vendorEvent: string;
  /**
   * The issue events, in payload order; empty for a known delivery that touches no issue (a ping,
   * a comment on a pull request). An issue deleted, archived or moved out of the binding is a
   * `deleted` event (its payload also has `deleted: true`); the engine then confirms with `checkGone`.
   */
  readonly events: readonly TrackerEvent[];
}

/**
 * Webhook support of a connector: proves a delivery came from the vendor, then turns it into
 * tracker events. A host calls `verify` first and `parse` only on a verified request; both throw
 * typed errors (`WebhookVerificationError`, `WebhookPayloadError`) and have no side effects.
 */
export interface ConnectorWebhooks {
  /** How the vendor authenticates deliveries, for docs and logs, e.g. `X-Hub-Signature-256 HMAC-SHA256`. */
  readonly scheme: string;
  /**
   * Checks the request's signature or token against `secret` in constant time (and the replay
   * window where the vendor signs a timestamp). Throws `WebhookVerificationError`; returns nothing.
   */
  verify(request: WebhookRequest, secret: string, options?: WebhookVerifyOptions): void;
  /** The delivery's events and id. Throws `WebhookPayloadError` for a malformed or unknown delivery. */
  parse(request: WebhookRequest, options?: WebhookParseOptions): WebhookDelivery;
}
