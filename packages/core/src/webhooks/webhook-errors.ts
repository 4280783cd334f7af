import { SpecKittyTrackerError } from '../errors/errors';

/** Why a delivery failed verification. */
export type WebhookVerificationFailure =
  /** No secret was configured for the binding. */
  | 'missing_secret'
  /** The vendor's signature or token header is absent or empty. */
  | 'missing_signature'
  /** The header is present but does not have the vendor's format. */
  | 'malformed_signature'
  /** The signature or token does not match the configured secret (forged, or the wrong secret). */
  | 'signature_mismatch'
  /** The delivery's timestamp is outside the replay window (a replay, or a clock far off). */
  | 'stale';

/**
 * A webhook delivery could not be proven to come from the vendor: no secret configured, no or a
 * malformed signature header, a signature that does not match, or a timestamp outside the replay
 * window. The message says which and how to fix it; it never contains the secret or the signature.
 */
export class WebhookVerificationError extends SpecKittyTrackerError {
  /** `'WebhookVerificationError'`. */
  static override readonly errorName: string = 'WebhookVerificationError';
  /** The connector whose verification failed, e.g. `github`. */
  readonly connectorId: string;
  /** What failed. */
  readonly reason: WebhookVerificationFailure;
  /** Builds the error. */
  constructor(
    message: string,
    options: { connectorId: string; reason: WebhookVerificationFailure; cause?: unknown },
  ) {
    super(message, options);
    this.connectorId = options.connectorId;
    this.reason = options.reason;
  }
}

/**
 * A (verified) webhook delivery cannot be turned into events: the body is not the vendor's JSON,
 * a field the events need is missing, or the event type is not one the connector understands.
 * Nothing should be written for such a delivery.
 */
export class WebhookPayloadError extends SpecKittyTrackerError {
  /** `'WebhookPayloadError'`. */
  static override readonly errorName: string = 'WebhookPayloadError';
  /** The connector whose parser refused the delivery, e.g. `github`. */
  readonly connectorId: string;
  /** Builds the error. */
  constructor(message: string, options: { connectorId: string; cause?: unknown }) {
    super(message, options);
    this.connectorId = options.connectorId;
  }
}
