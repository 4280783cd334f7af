// Building blocks every connector's webhooks share, so each vendor file holds only what the vendor
// documents (header names, signature format, payload shapes).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../util/json-value';
import { WebhookPayloadError, WebhookVerificationError } from './webhook-errors';
import type { WebhookHeaders, WebhookRequest } from './webhook-types';

/** The value of header `name` (case-insensitive; the first of repeated values), or null when absent or blank. */
export function webhookHeader(headers: WebhookHeaders, name: string): string | null {
  let value: string | readonly string[] | null | undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name);
  } else {
    const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
    const wanted = name.toLowerCase();
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === wanted);
    value = key === undefined ? undefined : record[key];
  }
  const first = typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
  if (typeof first !== 'string') return null;
  const trimmed = first.trim();
  return trimmed === '' ? null : trimmed;
}

/** The raw body as bytes (a string body is UTF-8 encoded). */
export function webhookBodyBytes(rawBody: Uint8Array | string): Buffer {
  return typeof rawBody === 'string'
    ? Buffer.from(rawBody, 'utf8')
    : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
}

/** Lower-case hex HMAC-SHA256 of the raw body keyed with `secret` (GitHub, Linear, Jira). */
export function hmacSha256Hex(secret: string, rawBody: Uint8Array | string): string {
  return createHmac('sha256', secret).update(webhookBodyBytes(rawBody)).digest('hex');
}

/**
 * Constant-time equality of two strings. Both are hashed to 32 bytes first, so `timingSafeEqual`
 * always compares equal-length buffers and the time taken reveals neither content nor length.
 */
export function timingSafeEqualText(left: string, right: string): boolean {
  const a = createHash('sha256').update(left, 'utf8').digest();
  const b = createHash('sha256').update(right, 'utf8').digest();
  return timingSafeEqual(a, b) && left.length === right.length;
}

/** Throws `WebhookVerificationError` (`missing_secret`) when no secret is configured. */
export function requireWebhookSecret(connectorId: string, secret: string, fix: string): void {
  if (typeof secret !== 'string' || secret.trim() === '') {
    throw new WebhookVerificationError(
      `${connectorId} webhook: no secret is configured for this binding, so no delivery can be verified. ${fix}`,
      { connectorId, reason: 'missing_secret' },
    );
  }
}

/** Parses the body as a JSON object, or throws `WebhookPayloadError` saying what the body is instead. */
export function parseWebhookJson(connectorId: string, request: WebhookRequest): Record<string, JsonValue> {
  const text = webhookBodyBytes(request.rawBody).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WebhookPayloadError(
      `${connectorId} webhook: the body is not valid JSON (${(error as Error).message}). Configure the webhook to send application/json and pass the raw body unchanged.`,
      { connectorId, cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookPayloadError(
      `${connectorId} webhook: the body must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}.`,
      { connectorId },
    );
  }
  return value as Record<string, JsonValue>;
}

/** What `verifyHmacSha256Header` checks: the header, its prefix, and the setup hint for messages. */
export interface HmacHeaderCheck {
  /** The connector id, for messages. */
  readonly connectorId: string;
  /** The header carrying the signature, e.g. `X-Hub-Signature-256`. */
  readonly header: string;
  /** What precedes the hex digest, e.g. `sha256=` (empty for a bare digest). */
  readonly prefix: string;
  /** Where the user finds or sets the secret, appended to "wrong secret" messages. */
  readonly secretHint: string;
}

/**
 * Verifies a hex HMAC-SHA256 of the raw body in `check.header` (constant time). Throws
 * `WebhookVerificationError` for a missing, malformed or mismatching signature.
 */
export function verifyHmacSha256Header(
  request: WebhookRequest,
  secret: string,
  check: HmacHeaderCheck,
): void {
  const { connectorId, header, prefix, secretHint } = check;
  requireWebhookSecret(connectorId, secret, secretHint);
  const given = webhookHeader(request.headers, header);
  if (given === null) {
    throw new WebhookVerificationError(
      `${connectorId} webhook: the ${header} header is missing, so the delivery is unsigned. ${secretHint}`,
      { connectorId, reason: 'missing_signature' },
    );
  }
  const lowered = given.toLowerCase();
  const digest = lowered.startsWith(prefix) ? lowered.slice(prefix.length) : null;
  if (digest === null || !/^[0-9a-f]{64}$/.test(digest)) {
    throw new WebhookVerificationError(
      `${connectorId} webhook: the ${header} header is not ${prefix === '' ? 'a' : `"${prefix}" followed by a`} 64-digit hex HMAC-SHA256.`,
      { connectorId, reason: 'malformed_signature' },
    );
  }
  if (!timingSafeEqualText(digest, hmacSha256Hex(secret, request.rawBody))) {
    throw new WebhookVerificationError(
      `${connectorId} webhook: the ${header} signature does not match the body and the configured secret (a forged or altered delivery, or the wrong secret). ${secretHint}`,
      { connectorId, reason: 'signature_mismatch' },
    );
  }
}

/** What `verifySharedTokenHeader` checks: the header carrying the secret, and the setup hint. */
export interface TokenHeaderCheck {
  /** The connector id, for messages. */
  readonly connectorId: string;
  /** The header carrying the shared secret, e.g. `X-Gitlab-Token`. */
  readonly header: string;
  /** Where the user finds or sets the secret, appended to messages. */
  readonly secretHint: string;
}

/**
 * Verifies a shared secret sent verbatim in `check.header` (GitLab's secret token, an Azure
 * DevOps custom header), in constant time. Throws `WebhookVerificationError` for a missing or
 * mismatching value. The secret crosses the wire as-is, so only HTTPS protects it.
 */
export function verifySharedTokenHeader(
  request: WebhookRequest,
  secret: string,
  check: TokenHeaderCheck,
): void {
  const { connectorId, header, secretHint } = check;
  requireWebhookSecret(connectorId, secret, secretHint);
  const given = webhookHeader(request.headers, header);
  if (given === null) {
    throw new WebhookVerificationError(
      `${connectorId} webhook: the ${header} header is missing. ${secretHint}`,
      { connectorId, reason: 'missing_signature' },
    );
  }
  if (!timingSafeEqualText(given, secret)) {
    throw new WebhookVerificationError(
      `${connectorId} webhook: the ${header} header does not match the configured secret (a forged delivery, or the wrong secret). ${secretHint}`,
      { connectorId, reason: 'signature_mismatch' },
    );
  }
}

/** Throws `WebhookPayloadError` naming the connector and `problem`. */
export function webhookPayloadFail(connectorId: string, problem: string): never {
  throw new WebhookPayloadError(`${connectorId} webhook: ${problem}`, { connectorId });
}

/** `value` as a JSON object, or throws `WebhookPayloadError` saying `what` is missing. */
export function webhookObject(
  connectorId: string,
  value: JsonValue | undefined,
  what: string,
): Record<string, JsonValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    webhookPayloadFail(connectorId, `the payload has no ${what} object.`);
  return value;
}

/** A non-empty string or an integer as a string id, or throws `WebhookPayloadError` saying `what` is missing. */
export function webhookId(connectorId: string, value: JsonValue | undefined, what: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  webhookPayloadFail(connectorId, `the payload has no ${what}.`);
}

/** A string field, or null when absent or not a string. */
export function webhookString(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An ISO date string or epoch milliseconds as a Date; `fallback` when absent or unparseable. */
export function webhookDate(value: JsonValue | undefined, fallback: Date): Date {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string') {
    // GitLab writes "2026-01-02 03:04:05 UTC"; Date parses it once the zone is an offset.
    const parsed = new Date(value.replace(/ UTC$/, 'Z').replace(/^(\d{4}-\d\d-\d\d) /, '$1T'));
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  return fallback;
}
