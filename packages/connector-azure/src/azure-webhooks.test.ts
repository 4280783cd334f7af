import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrackerEventType, WebhookPayloadError, WebhookVerificationError } from '@spec-kitty/core';
import { thrownBy } from '@spec-kitty/fake-trackers/webhooks';
import { describe, expect, it } from 'vitest';
import { azureConnectorDefinition } from './azure-definition';
import { azureWebhooks, createAzureWebhooks } from './azure-webhooks';

const SECRET = 'hooks:pa55-for-tests';
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '__fixtures__', 'webhooks', name), 'utf8');
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

function delivery(body: string, headers: Record<string, string> = {}) {
  return {
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: basic(SECRET), ...headers },
    rawBody: body,
  };
}

describe('azureWebhooks.verify (HTTP Basic)', () => {
  it('accepts the subscription credentials and rejects wrong, missing and non-Basic ones without echoing them', () => {
    const body = fixture('workitem-created.json');
    expect(() => azureWebhooks.verify(delivery(body), SECRET)).not.toThrow();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ authorization: basic('hooks:guess') }, SECRET, 'signature_mismatch'],
      [{ authorization: basic(SECRET) }, 'hooks:other', 'signature_mismatch'],
      [{ authorization: '' }, SECRET, 'missing_signature'],
      [{ authorization: 'Bearer abc.def' }, SECRET, 'malformed_signature'],
      [{ authorization: basic('no-colon') }, SECRET, 'malformed_signature'],
      [{}, '', 'missing_secret'],
    ];
    for (const [headers, secret, reason] of cases) {
      const error = thrownBy(() => azureWebhooks.verify(delivery(body, headers), secret));
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect((error as WebhookVerificationError).reason).toBe(reason);
      expect((error as Error).message).not.toContain('pa55');
      expect((error as Error).message).not.toContain('guess');
    }
  });

  it('checks a custom header secret instead when configured so', () => {
    const webhooks = createAzureWebhooks({ kind: 'header', header: 'X-Spec-Kitty-Secret' });
    const body = fixture('workitem-created.json');
    expect(() =>
      webhooks.verify({ headers: { 'x-spec-kitty-secret': 's3cret' }, rawBody: body }, 's3cret'),
    ).not.toThrow();
    const wrong = thrownBy(() =>
      webhooks.verify({ headers: { 'x-spec-kitty-secret': 's3cre' }, rawBody: body }, 's3cret'),
    );
    expect((wrong as WebhookVerificationError).reason).toBe('signature_mismatch');
    const missing = thrownBy(() => webhooks.verify(delivery(body), 's3cret'));
    expect((missing as WebhookVerificationError).reason).toBe('missing_signature');
  });
});

describe('azureWebhooks.parse', () => {
  it('turns workitem.created into a created event with organization/project and the event id', () => {
    const parsed = azureWebhooks.parse(delivery(fixture('workitem-created.json')));
    expect(parsed.deliveryId).toBe('d2d46fb1-dba5-403c-9373-427583f19e8c');
    expect(parsed.vendorEvent).toBe('workitem.created');
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      eventType: TrackerEventType.CREATED,
      issueRef: { system: 'azure_devops', workspace: 'fabrikam/FabrikamCloud', id: '5', key: '5' },
    });
    expect(parsed.events[0]?.timestamp.toISOString()).toBe('2014-07-15T17:42:45.000Z');
  });

  it('reads an update record: the work item id, transitioned on a state change, updated otherwise', () => {
    const body = fixture('workitem-updated-state.json');
    const parsed = azureWebhooks.parse(delivery(body), { workspace: 'acme/App' });
    expect(
      parsed.events.map((event) => [event.eventType, event.issueRef.id, event.issueRef.workspace]),
    ).toEqual([[TrackerEventType.TRANSITIONED, '5', 'acme/App']]);
    const retitled = JSON.parse(body) as { resource: { fields: Record<string, unknown> } };
    delete retitled.resource.fields['System.State'];
    expect(azureWebhooks.parse(delivery(JSON.stringify(retitled))).events[0]?.eventType).toBe(
      TrackerEventType.UPDATED,
    );
  });

  it('maps deleted to a deletion and commented to comment_added', () => {
    const created = fixture('workitem-created.json');
    const deleted = azureWebhooks.parse(delivery(created.replace('workitem.created', 'workitem.deleted')));
    expect(deleted.events[0]?.eventType).toBe(TrackerEventType.DELETED);
    expect(deleted.events[0]?.payload).toEqual({ vendorEvent: 'workitem.deleted', deleted: true });
    const commented = azureWebhooks.parse(
      delivery(created.replace('workitem.created', 'workitem.commented')),
    );
    expect(commented.events[0]?.eventType).toBe(TrackerEventType.COMMENT_ADDED);
  });

  it('rejects malformed JSON, an unknown event type and a work item without id or project', () => {
    const created = fixture('workitem-created.json');
    const bad = [
      '{"eventType":',
      created.replace('workitem.created', 'git.push'),
      created.replace('"id": 5,', ''),
      created.replace('"System.TeamProject": "FabrikamCloud",', ''),
    ];
    for (const body of bad) {
      const error = thrownBy(() => azureWebhooks.parse(delivery(body)));
      expect(WebhookPayloadError.isInstance(error), String(error)).toBe(true);
    }
  });
});

describe('azureConnectorDefinition.webhooks', () => {
  it('is azureWebhooks, and the connector says it supports webhooks', async () => {
    expect(azureConnectorDefinition.webhooks).toBe(azureWebhooks);
    const connector = azureConnectorDefinition.create({
      organization: 'fabrikam',
      project: 'FabrikamCloud',
      personalAccessToken: 'pat',
    } as never);
    expect((await connector.getCapabilities()).supportsWebhooks).toBe(
      azureConnectorDefinition.webhooks !== undefined,
    );
  });
});
