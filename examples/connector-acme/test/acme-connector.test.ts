import { readFileSync } from 'node:fs';
import { draftIssue, useFakeServers } from '@spec-kitty/connector-testkit';
import { ConnectorConfigError, ConnectorRequestError, createConnector, createRef } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { AcmeConnector, VERSION } from '../src/index.js';
import { type AcmeFake, startAcmeFake } from './acme-fake.js';

const track = useFakeServers();
const connect = (fake: AcmeFake, token = 'test-token') =>
  new AcmeConnector({ baseUrl: fake.url, project: 'demo', token });

describe('AcmeConnector', () => {
  it('registers "acme" on import, so createConnector checks its config', () => {
    expect(() => createConnector('acme', { project: 'Not A Slug', token: 't' })).toThrow(
      ConnectorConfigError,
    );
    expect(createConnector('acme', { project: 'demo', token: 't' }).name).toBe('acme');
  });

  it('sends its bearer token; a wrong token is refused without leaking it', async () => {
    const fake = await track(startAcmeFake());
    fake.seed({ title: 'Seeded' });
    await connect(fake).listIssues({ cursor: null, updatedSince: null, limit: 10 });
    const error = await connect(fake, 'wrong-secret')
      .getIssue(createRef({ system: 'acme', workspace: 'demo', id: '1' }))
      .catch((caught: unknown) => caught);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(String(error)).not.toContain('wrong-secret');
    expect(fake.server.violations).toEqual([expect.stringContaining('Authorization: Bearer')]);
    fake.server.violations.length = 0;
  });

  it('creates once per idempotency key, and finds the created issue by it', async () => {
    const fake = await track(startAcmeFake());
    const connector = connect(fake);
    const issue = draftIssue({ title: 'Crash on start', labels: ['bug'] });
    const first = await connector.createIssue(issue, { idempotencyKey: 'sync:local:drafts:1' });
    const again = await connector.createIssue(issue, { idempotencyKey: 'sync:local:drafts:1' });
    expect(again.ref.id).toBe(first.ref.id);
    expect(fake.issues.size).toBe(1);
    const found = await connector.findCreatedIssue(issue, { idempotencyKey: 'sync:local:drafts:1' });
    expect(found?.ref.id).toBe(first.ref.id);
    expect(fake.server.callsByEndpoint()).toEqual({ 'POST /issues': 2, 'GET /issues': 1 });
  });

  it('retries a read the API answers with 429 + Retry-After', async () => {
    const fake = await track(startAcmeFake());
    fake.seed({ title: 'Seeded' });
    fake.server.injectFault({
      endpoint: 'GET /issues',
      fault: { kind: 'status', status: 429, retryAfter: 0 },
    });
    const page = await connect(fake).listIssues({ cursor: null, updatedSince: null, limit: 10 });
    expect(page.items.map((issue) => issue.title)).toEqual(['Seeded']);
    expect(fake.server.callCount('GET /issues')).toBe(2);
  });

  it('keeps VERSION equal to package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(manifest.version);
  });
});
