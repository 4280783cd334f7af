import { createHmac } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConnectorConfigError, SpecKittyTrackerError } from '../errors/errors';
import type { TrackerConnector } from '../protocol/connector';
import { CONNECTOR_PROTOCOL_VERSION, type ConnectorDefinition } from '../protocol/connector-definition';
import { defineConnector } from '../protocol/define-connector';
import { WebhookPayloadError, WebhookVerificationError } from './webhook-errors';
import {
  parseWebhookJson,
  timingSafeEqualText,
  verifyHmacSha256Header,
  webhookDate,
  webhookHeader,
  webhookId,
} from './webhook-helpers';
import type { ConnectorWebhooks } from './webhook-types';

const SECRET = 'It-is-a-secret-7f3a';
const body = '{"hello":"world"}';
const check = {
  connectorId: 'acme',
  header: 'X-Acme-Signature',
  prefix: 'sha256=',
  secretHint: 'Set it in Acme.',
};
const sign = (text: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;

function failure(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (WebhookVerificationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

describe('webhookHeader', () => {
  it('matches names case-insensitively in records, arrays and fetch Headers', () => {
    expect(webhookHeader({ 'x-acme': 'one' }, 'X-Acme')).toBe('one');
    expect(webhookHeader({ 'X-ACME': ['first', 'second'] }, 'x-acme')).toBe('first');
    expect(webhookHeader(new Headers({ 'X-Acme': 'fetch' }), 'x-acme')).toBe('fetch');
    expect(webhookHeader({ 'x-acme': '  ' }, 'x-acme')).toBeNull();
    expect(webhookHeader({}, 'x-acme')).toBeNull();
  });
});

describe('timingSafeEqualText', () => {
  it('is true only for equal strings, whatever their lengths', () => {
    expect(timingSafeEqualText('abc', 'abc')).toBe(true);
    expect(timingSafeEqualText('abc', 'abd')).toBe(false);
    expect(timingSafeEqualText('abc', 'abcd')).toBe(false);
    expect(timingSafeEqualText('', 'a')).toBe(false);
  });
});

describe('verifyHmacSha256Header', () => {
  it('accepts the signature of the raw body, as a string or as bytes', () => {
    const headers = { 'x-acme-signature': sign(body) };
    expect(() => verifyHmacSha256Header({ headers, rawBody: body }, SECRET, check)).not.toThrow();
    const bytes = new TextEncoder().encode(`xx${body}`).subarray(2);
    expect(() => verifyHmacSha256Header({ headers, rawBody: bytes }, SECRET, check)).not.toThrow();
  });

  it('rejects a missing, malformed or forged signature and a wrong or empty secret, without leaking either', () => {
    const missing = failure(() => verifyHmacSha256Header({ headers: {}, rawBody: body }, SECRET, check));
    expect(missing.reason).toBe('missing_signature');
    expect(missing.message).toContain('X-Acme-Signature header is missing');
    const malformed = failure(() =>
      verifyHmacSha256Header({ headers: { 'x-acme-signature': 'md5=abc' }, rawBody: body }, SECRET, check),
    );
    expect(malformed.reason).toBe('malformed_signature');
    const forgedSignature = sign('{"hello":"mallory"}');
    const forged = failure(() =>
      verifyHmacSha256Header(
        { headers: { 'x-acme-signature': forgedSignature }, rawBody: body },
        SECRET,
        check,
      ),
    );
    expect(forged.reason).toBe('signature_mismatch');
    const wrongSignature = sign(body, 'another-secret');
    const wrong = failure(() =>
      verifyHmacSha256Header(
        { headers: { 'x-acme-signature': wrongSignature }, rawBody: body },
        SECRET,
        check,
      ),
    );
    expect(wrong.reason).toBe('signature_mismatch');
    expect(wrong.connectorId).toBe('acme');
    for (const error of [missing, malformed, forged, wrong]) {
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain(forgedSignature.slice(7));
      expect(error.message).not.toContain(wrongSignature.slice(7));
      expect(SpecKittyTrackerError.isInstance(error)).toBe(true);
    }
    const empty = failure(() =>
      verifyHmacSha256Header({ headers: { 'x-acme-signature': sign(body, '') }, rawBody: body }, '', check),
    );
    expect(empty.reason).toBe('missing_secret');
  });
});

describe('payload helpers', () => {
  it('parseWebhookJson rejects non-JSON and non-object bodies with WebhookPayloadError', () => {
    expect(parseWebhookJson('acme', { headers: {}, rawBody: body })).toEqual({ hello: 'world' });
    for (const raw of ['{not json', '[1]', 'null', '"text"']) {
      let caught: unknown;
      try {
        parseWebhookJson('acme', { headers: {}, rawBody: raw });
      } catch (error) {
        caught = error;
      }
      expect(WebhookPayloadError.isInstance(caught)).toBe(true);
      expect(WebhookVerificationError.isInstance(caught)).toBe(false);
    }
  });

  it('webhookId takes strings and integers; webhookDate reads ISO, GitLab and epoch forms', () => {
    expect(webhookId('acme', 42, 'issue id')).toBe('42');
    expect(() => webhookId('acme', null, 'issue id')).toThrow(/the payload has no issue id/);
    const fallback = new Date(0);
    expect(webhookDate('2026-01-02T03:04:05Z', fallback).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(webhookDate('2026-01-02 03:04:05 UTC', fallback).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(webhookDate(1_767_323_045_000, fallback).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(webhookDate('soon', fallback)).toBe(fallback);
  });
});

describe('defineConnector webhooks block', () => {
  const base = {
    id: 'acme',
    displayName: 'Acme',
    protocolVersion: CONNECTOR_PROTOCOL_VERSION,
    packageName: '@acme/tracker-connector',
    packageVersion: '1.2.3',
    mode: 'direct',
    configSchema: v.object({}),
    create: () => ({ name: 'acme' }) as unknown as TrackerConnector,
  } as const;
  const webhooks: ConnectorWebhooks = {
    scheme: 'X-Acme-Signature HMAC-SHA256',
    verify: () => undefined,
    parse: () => ({ deliveryId: null, vendorEvent: 'ping', events: [] }),
  };

  it('keeps a complete webhooks block', () => {
    const definition = defineConnector({ ...base, webhooks } as ConnectorDefinition<object>);
    expect(definition.webhooks?.scheme).toBe('X-Acme-Signature HMAC-SHA256');
  });

  it('rejects an incomplete webhooks block', () => {
    for (const bad of [{ ...webhooks, parse: undefined }, { ...webhooks, scheme: '' }, 'yes']) {
      expect(() =>
        defineConnector({ ...base, webhooks: bad } as unknown as ConnectorDefinition<object>),
      ).toThrow(ConnectorConfigError);
    }
  });
});
