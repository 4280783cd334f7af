// A loopback webhook receiver for tests: records each request's headers and raw body exactly as
// they arrived (signatures are checked over those bytes) and answers with a fixed status.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedWebhook {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

/** A started receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly received: readonly ReceivedWebhook[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 answering `status` (default 204) to every request. */
export async function startWebhookReceiver(options: { status?: number } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        rawBody: Buffer.concat(chunks),
      });
      response.statusCode = options.status ?? 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The requests `receiver` got since the `from`-th, once every delivery `webhooks` sent was answered. */
export async function receivedSince(
  webhooks: { idle(): Promise<void> },
  receiver: WebhookReceiver,
  from: number,
): Promise<readonly ReceivedWebhook[]> {
  await webhooks.idle();
  return receiver.received.slice(from);
}

/** The error `run` throws; throws itself when `run` returns, so a test expecting an error fails. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/**
 * What `run` (a `verify` call) did: `accepted`, the `reason` of the error it threw (a
 * `WebhookVerificationError` carries one), or `other`.
 */
export function verificationOutcome(run: () => void): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    const reason = (error as { reason?: unknown } | null)?.reason;
    return typeof reason === 'string' ? reason : 'other';
  }
}

/** `request` with `from` replaced by `to` in its body and its headers (signature) untouched: a forgery. */
export function tamperedBody(request: ReceivedWebhook, from: string, to: string): ReceivedWebhook {
  const body = request.rawBody.toString('utf8');
  if (!body.includes(from)) throw new Error(`the body does not contain ${JSON.stringify(from)}`);
  return { ...request, rawBody: Buffer.from(body.replace(from, to), 'utf8') };
}
