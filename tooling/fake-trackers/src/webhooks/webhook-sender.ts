// Sends one webhook delivery over plain HTTP, as a vendor's hook service does: a POST with the
// signed headers and the exact body bytes the signature covers. Loopback only, so no TLS.
import { request } from 'node:http';

/** What the receiver answered: its status, or why no answer arrived. */
export interface WebhookPostResult {
  readonly status: number | null;
  readonly error: string | null;
}

/** How long a receiver may take to answer before the delivery counts as failed (GitHub: 10 s). */
const TIMEOUT_MS = 10_000;

/** POSTs `body` to `url` with `headers`; never throws (a failure is recorded, not raised). */
export function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<WebhookPostResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ status: null, error: `invalid URL ${url}` });
      return;
    }
    if (target.protocol !== 'http:') {
      resolve({ status: null, error: `only http: receivers are supported, got ${target.protocol}` });
      return;
    }
    const bytes = Buffer.from(body, 'utf8');
    // A fresh connection per delivery: a keep-alive socket would hold the receiver's close().
    const outgoing = request(
      target,
      {
        method: 'POST',
        agent: false,
        timeout: TIMEOUT_MS,
        headers: { ...headers, 'content-length': String(bytes.byteLength), connection: 'close' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? null, error: null }));
        response.on('error', (error) =>
          resolve({ status: response.statusCode ?? null, error: error.message }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    outgoing.on('error', (error) => resolve({ status: null, error: error.message }));
    outgoing.end(bytes);
  });
}
