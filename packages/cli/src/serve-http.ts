import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type ConnectorWebhooks,
  type WebhookInbox,
  WebhookPayloadError,
  WebhookVerificationError,
} from '@spec-kitty/core';
import type { ServeLog } from './serve-log';

/** One binding's webhook endpoint, `POST /webhooks/<name>`. */
export interface WebhookEndpoint {
  /** The binding's name: the URL path segment, the inbox's `binding`, the log's `binding`. */
  readonly name: string;
  /** The connector's webhooks (from its definition). */
  readonly webhooks: ConnectorWebhooks;
  /** `ExternalRef.workspace` of the binding's issues, passed to `parse`; undefined: the payload's. */
  readonly workspace: string | undefined;
  /** The binding's webhook secret (never logged). */
  readonly secret: string;
  /** Where accepted deliveries go; the 2xx is sent only after `enqueueDelivery` committed. */
  readonly inbox: Pick<WebhookInbox, 'enqueueDelivery'>;
  /** Called after a delivery was queued (wakes the processor). */
  readonly onQueued?: () => void;
}

/** What `GET /healthz` reports. */
export type HealthReport = () => Promise<Readonly<Record<string, unknown>>>;

export interface WebhookServerOptions {
  readonly endpoints: readonly WebhookEndpoint[];
  /** Largest body accepted, in bytes; a larger one is answered 413 without being read. */
  readonly maxBodyBytes: number;
  readonly log: ServeLog;
  readonly health: HealthReport;
  /** The clock for replay windows and `receivedAt` (default: now). */
  readonly now?: () => Date;
}

const WEBHOOK_PATH = /^\/webhooks\/([^/?#]+)\/?$/;

class BodyTooLargeError extends Error {}

function reply(res: ServerResponse, status: number, body: Readonly<Record<string, unknown>>): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers 413 and closes the connection, so nothing more of the body is read. */
function replyTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  res.shouldKeepAlive = false;
  res.once('finish', () => req.socket.destroySoon());
  reply(res, 413, { error: 'payload_too_large', limit });
}

/** The body as bytes, or `BodyTooLargeError` as soon as more than `limit` bytes arrived. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

/** The HTTP side of `serve`: verify, parse, enqueue, answer; nothing else happens in a request. */
export function createWebhookServer(options: WebhookServerOptions): Server {
  const byName = new Map(options.endpoints.map((endpoint) => [endpoint.name, endpoint]));
  const now = options.now ?? (() => new Date());
  const { log } = options;

  async function handleDelivery(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: WebhookEndpoint,
  ): Promise<void> {
    const binding = endpoint.name;
    const rejected = (status: number, reason: string, message: string) => {
      log('rejected', { binding, status, reason, message });
      reply(res, status, { error: reason, message });
    };
    const length = declaredLength(req);
    if (length !== null && length > options.maxBodyBytes) {
      log('rejected', { binding, status: 413, reason: 'too_large', bytes: length });
      replyTooLarge(req, res, options.maxBodyBytes);
      return;
    }
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      log('rejected', { binding, status: 413, reason: 'too_large', bytes: `> ${options.maxBodyBytes}` });
      replyTooLarge(req, res, options.maxBodyBytes);
      return;
    }
    const request = { headers: req.headers, rawBody };
    const receivedAt = now();
    let delivery: ReturnType<ConnectorWebhooks['parse']>;
    try {
      endpoint.webhooks.verify(request, endpoint.secret, { now: receivedAt });
      delivery = endpoint.webhooks.parse(request, {
        ...(endpoint.workspace && { workspace: endpoint.workspace }),
      });
    } catch (error) {
      if (WebhookVerificationError.isInstance(error)) return rejected(401, error.reason, error.message);
      if (WebhookPayloadError.isInstance(error)) return rejected(400, 'malformed', error.message);
      throw error;
    }
    const { deliveryId, vendorEvent, events } = delivery;
    if (events.length === 0) {
      log('ignored', { binding, deliveryId, vendorEvent, reason: 'no issue events' });
      reply(res, 200, { status: 'ignored', deliveryId });
      return;
    }
    const result = await endpoint.inbox.enqueueDelivery({
      binding,
      deliveryId,
      vendorEvent,
      events,
      receivedAt,
    });
    if (result.status === 'duplicate') {
      log('duplicate', { binding, deliveryId, vendorEvent, inboxId: result.id });
      reply(res, 200, { status: 'duplicate', deliveryId });
      return;
    }
    log('accepted', {
      binding,
      deliveryId,
      vendorEvent,
      events: events.length,
      issues: [...new Set(events.map((event) => event.issueRef.key ?? event.issueRef.id))],
      inboxId: result.id,
    });
    reply(res, 202, { status: 'queued', deliveryId });
    endpoint.onQueued?.();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return reply(res, 405, { error: 'method_not_allowed' });
      }
      return reply(res, 200, await options.health());
    }
    const match = WEBHOOK_PATH.exec(path);
    let name: string | null = null;
    try {
      name = match ? decodeURIComponent(match[1]!) : null;
    } catch {
      name = null;
    }
    const endpoint = name === null ? undefined : byName.get(name);
    if (endpoint === undefined) {
      log('rejected', { path, status: 404, reason: 'unknown_binding' });
      return reply(res, 404, {
        error: 'not_found',
        message: `No binding here. Deliveries go to POST /webhooks/<binding>; served: ${[...byName.keys()].join(', ')}.`,
      });
    }
    if (req.method !== 'POST') {
      log('rejected', {
        binding: endpoint.name,
        status: 405,
        reason: 'method_not_allowed',
        method: req.method,
      });
      res.setHeader('allow', 'POST');
      return reply(res, 405, { error: 'method_not_allowed' });
    }
    await handleDelivery(req, res, endpoint);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The store could not commit (or another unexpected failure): nothing was accepted, so the
      // vendor is told to retry.
      log('failed', { path: req.url, status: 503, error });
      if (!res.headersSent) reply(res, 503, { error: 'unavailable', message: 'try again later' });
      else res.destroy();
    });
  });
  // Vendors give up after about 10 s; a client that takes longer to send a small body is not one.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}
