import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TrackerEventType } from '../model/enums';
import { createRef } from '../model/external-ref';
import { defineConnectorWebhooks, type WebhookEventParser } from './define-webhooks';
import { WebhookPayloadError, WebhookVerificationError } from './webhook-errors';
import { verifySharedTokenHeader } from './webhook-helpers';

const SECRET = 'define-webhooks-secret';

const issueParser: WebhookEventParser = (body, { vendorEvent, deliveryKey, workspace }) => [
  {
    eventId: `${deliveryKey}:${vendorEvent}`,
    eventType: TrackerEventType.UPDATED,
    issueRef: createRef({ system: 'acme', workspace: workspace ?? 'default', id: String(body.id) }),
    timestamp: new Date(0),
    payload: { vendorEvent },
  },
];

const byHeader = defineConnectorWebhooks({
  connectorId: 'acme',
  scheme: 'X-Acme-Signature HMAC-SHA256',
  authentication: {
    kind: 'hmac-sha256',
    header: 'X-Acme-Signature',
    prefix: 'sha256=',
    secretHint: 'Set it in Acme.',
  },
  event: { headers: ['X-Acme-Event'] },
  missingEvent: 'the X-Acme-Event header is missing.',
  deliveryId: { headers: ['X-Acme-Delivery', 'X-Acme-Fallback'] },
  subscribeHint: 'Subscribe to issue events.',
  parsers: { issue: issueParser, ping: () => [] },
});

const byBody = defineConnectorWebhooks({
  connectorId: 'acme',
  scheme: 'X-Acme-Token',
  authentication: { kind: 'token', header: 'X-Acme-Token', secretHint: 'Set it in Acme.' },
  event: { field: 'kind', headers: ['X-Acme-Event'] },
  missingEvent: 'the payload has no kind.',
  deliveryId: { field: 'deliveryId' },
  eventIdPrefix: 'acme-prefix',
  subscribeHint: 'Subscribe to issue events.',
  checkBody: (body) => {
    if (body.id === undefined) throw new WebhookPayloadError('acme webhook: no id', { connectorId: 'acme' });
  },
  parsers: { issue: issueParser },
});

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('defineConnectorWebhooks', () => {
  it('parses through the event parser, with the delivery id, workspace and a frozen result', () => {
    const delivery = byHeader.parse(
      { headers: { 'x-acme-event': 'issue', 'x-acme-fallback': 'd-2' }, rawBody: '{"id":7}' },
      { workspace: 'w' },
    );
    expect(delivery.deliveryId).toBe('d-2');
    expect(delivery.vendorEvent).toBe('issue');
    expect(delivery.events).toMatchObject([{ eventId: 'd-2:issue', issueRef: { workspace: 'w', id: '7' } }]);
    expect(Object.isFrozen(delivery) && Object.isFrozen(delivery.events)).toBe(true);
    const fromBody = byBody.parse({
      headers: { 'x-acme-event': 'ignored' },
      rawBody: '{"kind":"issue","id":1}',
    });
    expect(fromBody).toMatchObject({
      deliveryId: null,
      vendorEvent: 'issue',
      events: [{ eventId: 'acme-prefix:issue' }],
    });
    expect(byBody.parse({ headers: { 'x-acme-event': 'issue' }, rawBody: '{"id":1}' }).vendorEvent).toBe(
      'issue',
    );
  });

  it('refuses an unknown or missing event before reading a body it cannot use, and runs checkBody', () => {
    const unknown = caught(() =>
      byHeader.parse({ headers: { 'x-acme-event': 'push' }, rawBody: 'not json' }),
    );
    expect((unknown as Error).message).toBe(
      'acme webhook: unsupported event "push". Subscribe to issue events.',
    );
    const inherited = caught(() =>
      byHeader.parse({ headers: { 'x-acme-event': 'toString' }, rawBody: '{}' }),
    );
    expect(WebhookPayloadError.isInstance(inherited)).toBe(true);
    const missing = caught(() => byHeader.parse({ headers: {}, rawBody: '{}' }));
    expect((missing as Error).message).toContain('X-Acme-Event header is missing');
    const badJson = caught(() => byHeader.parse({ headers: { 'x-acme-event': 'issue' }, rawBody: '[1]' }));
    expect((badJson as Error).message).toContain('must be a JSON object');
    const checked = caught(() => byBody.parse({ headers: {}, rawBody: '{"kind":"issue"}' }));
    expect((checked as Error).message).toBe('acme webhook: no id');
  });

  it('verifies with the declared scheme', () => {
    const body = '{"id":1}';
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(() =>
      byHeader.verify({ headers: { 'x-acme-signature': signature }, rawBody: body }, SECRET),
    ).not.toThrow();
    const forged = caught(() =>
      byHeader.verify({ headers: { 'x-acme-signature': signature }, rawBody: '{}' }, SECRET),
    );
    expect((forged as WebhookVerificationError).reason).toBe('signature_mismatch');
    expect(() => byBody.verify({ headers: { 'x-acme-token': SECRET }, rawBody: body }, SECRET)).not.toThrow();
    const custom = defineConnectorWebhooks({
      connectorId: 'acme',
      scheme: 'custom',
      authentication: {
        kind: 'custom',
        verify: (_request, secret, options) => {
          if (secret !== 'ok' || options?.toleranceMs !== 5)
            throw new WebhookVerificationError('no', { connectorId: 'acme', reason: 'stale' });
        },
      },
      event: { field: 'kind' },
      missingEvent: 'no kind',
      deliveryId: { field: 'id' },
      subscribeHint: '',
      parsers: {},
    });
    expect(() => custom.verify({ headers: {}, rawBody: '' }, 'ok', { toleranceMs: 5 })).not.toThrow();
    expect(
      (caught(() => custom.verify({ headers: {}, rawBody: '' }, 'ok')) as WebhookVerificationError).reason,
    ).toBe('stale');
  });
});

describe('verifySharedTokenHeader', () => {
  const check = { connectorId: 'acme', header: 'X-Acme-Token', secretHint: 'Set it in Acme.' };
  it('accepts the secret and rejects a missing, wrong or unconfigured one without echoing it', () => {
    expect(() =>
      verifySharedTokenHeader({ headers: { 'X-ACME-TOKEN': SECRET }, rawBody: '' }, SECRET, check),
    ).not.toThrow();
    const reasons = [
      [{}, SECRET],
      [{ 'x-acme-token': 'wrong-token' }, SECRET],
      [{ 'x-acme-token': SECRET }, ''],
    ].map(([headers, secret]) => {
      const error = caught(() =>
        verifySharedTokenHeader(
          { headers: headers as Record<string, string>, rawBody: '' },
          secret as string,
          check,
        ),
      ) as WebhookVerificationError;
      expect(error.message).not.toContain('wrong-token');
      expect(error.message).not.toContain(SECRET);
      return error.reason;
    });
    expect(reasons).toEqual(['missing_signature', 'signature_mismatch', 'missing_secret']);
  });
});
