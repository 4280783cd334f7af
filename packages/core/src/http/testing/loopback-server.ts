// Test-only: a plain node:http server on 127.0.0.1 that records every request. Used by the
// http, hosted and discovery tests (core cannot depend on @spec-kitty/fake-trackers without a
// workspace cycle).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface CapturedRequest {
  readonly method: string;
  /** Path plus query, exactly as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type LoopbackHandler = (request: CapturedRequest, response: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startLoopback(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: CapturedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const captured: CapturedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(captured);
      Promise.resolve(handler(captured, outgoing)).catch((error: unknown) => {
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end(String(error));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a JSON response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
