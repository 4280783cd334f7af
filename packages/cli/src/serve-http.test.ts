import { createHmac } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubConnectorDefinition } from '@spec-kitty/connector-github';
import { type InboxDelivery, InMemoryWebhookInbox, type WebhookInbox } from '@spec-kitty/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookServer } from './serve-http';
import { createServeLog } from './serve-log';

// The HTTP side of `serve` against GitHub's real verify/parse: what is answered, what is queued,
// and what is logged, for genuine, duplicate, forged, unsigned, malformed, oversized and misrouted
// requests.

const SECRET = 'whsec-http-test-5b1e9c';
const LIMIT = 4096;

function issuesBody(number: number, title = 'Found a bug'): string {
  return JSON.stringify({
    action: 'edited',
    issue: {
      number,
      title,
      html_url: `https://github.com/octo/hello/issues/${number}`,
      updated_at: '2026-03-01T10:00:00Z',
    },
    repository: { full_name: 'octo/hello' },
  });
}

function signed(body: string, deliveryId: string, secret = SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': deliveryId,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function send(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunked?: boolean;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // Streamed without a Content-Length, in pieces.
      const bytes = Buffer.from(options.body);
      for (let at = 0; at < bytes.length; at += 1024) req.write(bytes.subarray(at, at + 1024));
      req.end();
    } else req.end(options.body);
  });
}

let server: Server;
let port: number;
let inbox: InMemoryWebhookInbox;

/** What the inbox holds for the binding (claimed, so each call sees only new deliveries). */
const queued = (): Promise<InboxDelivery[]> =>
  inbox.claimDeliveries({ binding: 'github', limit: 100, leaseMs: 60_000 });
let logged: string;

async function start(overrides: { inbox?: WebhookInbox } = {}) {
  logged = '';
  const log = createServeLog({ write: (chunk: string) => (logged += chunk) }, () => [SECRET]);
  server = createWebhookServer({
    endpoints: [
      {
        name: 'github',
        webhooks: githubConnectorDefinition.webhooks!,
        workspace: 'octo/hello',
        secret: SECRET,
        inbox: overrides.inbox ?? inbox,
      },
    ],
    maxBodyBytes: LIMIT,
    log,
    health: async () => ({ status: 'ok', inbox: await inbox.inboxStats('github') }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}

function logLines(): Record<string, unknown>[] {
  return logged
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeEach(async () => {
  inbox = new InMemoryWebhookInbox();
  await start();
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('POST /webhooks/<binding>', () => {
  it('answers 202 after queueing a genuine delivery, with the refs in the binding workspace', async () => {
    const body = issuesBody(7);
    const answer = await send(port, { path: '/webhooks/github', headers: signed(body, 'd-1'), body });
    expect(answer).toEqual({ status: 202, body: { status: 'queued', deliveryId: 'd-1' } });
    const held = await queued();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ binding: 'github', deliveryId: 'd-1', vendorEvent: 'issues' });
    expect(held[0]?.events[0]?.issueRef).toMatchObject({
      system: 'github',
      workspace: 'octo/hello',
      id: '7',
    });
    expect(logLines()).toEqual([
      expect.objectContaining({ event: 'accepted', binding: 'github', deliveryId: 'd-1', events: 1 }),
    ]);
  });

  it('answers a redelivered delivery id 200 "duplicate" without queueing it again', async () => {
    const body = issuesBody(7);
    await send(port, { path: '/webhooks/github', headers: signed(body, 'd-1'), body });
    const again = await send(port, { path: '/webhooks/github', headers: signed(body, 'd-1'), body });
    expect(again).toEqual({ status: 200, body: { status: 'duplicate', deliveryId: 'd-1' } });
    expect(await inbox.inboxStats('github')).toMatchObject({ queued: 1 });
    expect(await queued()).toHaveLength(1);
    expect(logLines().map((line) => line.event)).toEqual(['accepted', 'duplicate']);
  });

  it('rejects forged and unsigned deliveries with 401, queueing nothing and logging no secret', async () => {
    const body = issuesBody(7);
    const forged = await send(port, {
      path: '/webhooks/github',
      headers: signed(body, 'd-2', 'not-the-secret'),
      body,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe('signature_mismatch');
    const tampered = await send(port, {
      path: '/webhooks/github',
      headers: signed(body, 'd-3'),
      body: issuesBody(7, 'Changed in transit'),
    });
    expect(tampered.status).toBe(401);
    const { 'x-hub-signature-256': _dropped, ...unsignedHeaders } = signed(body, 'd-4');
    const unsigned = await send(port, { path: '/webhooks/github', headers: unsignedHeaders, body });
    expect(unsigned).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    expect(await inbox.inboxStats()).toMatchObject({ queued: 0, inFlight: 0 });
    expect(logLines().map((line) => [line.event, line.status, line.reason])).toEqual([
      ['rejected', 401, 'signature_mismatch'],
      ['rejected', 401, 'signature_mismatch'],
      ['rejected', 401, 'missing_signature'],
    ]);
    expect(logged).not.toContain(SECRET);
  });

  it('rejects a signed but malformed delivery with 400 and queues nothing', async () => {
    const notJson = '{"action": "edited", "issue": ';
    const broken = await send(port, {
      path: '/webhooks/github',
      headers: signed(notJson, 'd-5'),
      body: notJson,
    });
    expect(broken).toMatchObject({ status: 400, body: { error: 'malformed' } });
    const noIssue = JSON.stringify({ action: 'edited', repository: { full_name: 'octo/hello' } });
    const missing = await send(port, {
      path: '/webhooks/github',
      headers: signed(noIssue, 'd-6'),
      body: noIssue,
    });
    expect(missing.status).toBe(400);
    expect(await inbox.inboxStats()).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('answers 413 to a body over the limit, declared or streamed, without queueing it', async () => {
    const big = issuesBody(7, 'x'.repeat(LIMIT * 4));
    const declared = await send(port, { path: '/webhooks/github', headers: signed(big, 'd-7'), body: big });
    expect(declared).toMatchObject({ status: 413, body: { error: 'payload_too_large', limit: LIMIT } });
    const streamed = await send(port, {
      path: '/webhooks/github',
      headers: signed(big, 'd-8'),
      body: big,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    expect(await inbox.inboxStats()).toMatchObject({ queued: 0, inFlight: 0 });
    expect(logLines().map((line) => [line.status, line.reason])).toEqual([
      [413, 'too_large'],
      [413, 'too_large'],
    ]);
  });

  it('answers 404 to an unknown binding and 405 to a method other than POST', async () => {
    const body = issuesBody(7);
    const unknown = await send(port, { path: '/webhooks/gitlab', headers: signed(body, 'd-9'), body });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('served: github');
    expect((await send(port, { method: 'GET', path: '/webhooks/github' })).status).toBe(405);
    expect((await send(port, { method: 'POST', path: '/healthz' })).status).toBe(405);
    expect(await inbox.inboxStats()).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('answers a delivery that touches no issue (a ping) 200 without queueing it', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const headers = { ...signed(body, 'd-10'), 'x-github-event': 'ping' };
    const ping = await send(port, { path: '/webhooks/github', headers, body });
    expect(ping).toEqual({ status: 200, body: { status: 'ignored', deliveryId: 'd-10' } });
    expect(await inbox.inboxStats()).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('answers 503 when the inbox cannot commit, so the vendor retries', async () => {
    await new Promise((resolve) => server.close(resolve));
    const failing = new InMemoryWebhookInbox();
    failing.enqueueDelivery = async () => {
      throw new Error('SQLITE_BUSY: database is locked');
    };
    await start({ inbox: failing });
    const body = issuesBody(7);
    const answer = await send(port, { path: '/webhooks/github', headers: signed(body, 'd-11'), body });
    expect(answer.status).toBe(503);
    expect(logLines()).toEqual([expect.objectContaining({ event: 'failed', status: 503 })]);
  });
});

describe('GET /healthz', () => {
  it('reports the inbox', async () => {
    const body = issuesBody(7);
    await send(port, { path: '/webhooks/github', headers: signed(body, 'd-12'), body });
    const health = await send(port, { method: 'GET', path: '/healthz' });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', inbox: { queued: 1, inFlight: 0 } } });
  });
});
