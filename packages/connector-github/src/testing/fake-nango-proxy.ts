// Test-only stand-in for the Nango proxy in front of a vendor fake: checks the Nango headers,
// strips `/proxy` and the `Nango-Proxy-` prefix, injects the provider token, forwards, and can
// drop vendor response headers the way older / self-hosted Nango does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeNangoProxy {
  readonly url: string;
  /** Requests the proxy received (method, path+query, Nango headers seen). */
  readonly received: {
    method: string;
    url: string;
    connectionId: string | null;
    providerConfigKey: string | null;
  }[];
  stripVendorHeaders: boolean;
  close(): Promise<void>;
}

export async function startFakeNangoProxy(options: {
  upstream: string;
  secretKey: string;
  providerToken: string;
  stripVendorHeaders?: boolean;
}): Promise<FakeNangoProxy> {
  const received: FakeNangoProxy['received'] = [];
  const state = { stripVendorHeaders: options.stripVendorHeaders ?? false };
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        const url = incoming.url ?? '/';
        const header = (name: string) => {
          const value = incoming.headers[name];
          return typeof value === 'string' ? value : null;
        };
        received.push({
          method: incoming.method ?? 'GET',
          url,
          connectionId: header('connection-id'),
          providerConfigKey: header('provider-config-key'),
        });
        if (header('authorization') !== `Bearer ${options.secretKey}`) {
          outgoing.writeHead(401, { 'content-type': 'application/json' });
          outgoing.end(
            JSON.stringify({ error: { code: 'unknown_account', message: 'Authentication failed' } }),
          );
          return;
        }
        if (!header('connection-id') || !header('provider-config-key') || !url.startsWith('/proxy/')) {
          outgoing.writeHead(400, { 'content-type': 'application/json' });
          outgoing.end(JSON.stringify({ error: { code: 'missing_headers' } }));
          return;
        }
        const forwarded = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (typeof value !== 'string') continue;
          if (name.startsWith('nango-proxy-')) forwarded.set(name.slice('nango-proxy-'.length), value);
        }
        const contentType = header('content-type');
        if (contentType) forwarded.set('content-type', contentType);
        forwarded.set('authorization', `Bearer ${options.providerToken}`);
        const body = Buffer.concat(chunks);
        const method = incoming.method ?? 'GET';
        try {
          const response = await fetch(`${options.upstream}${url.slice('/proxy'.length)}`, {
            method,
            headers: forwarded,
            ...(body.length > 0 && method !== 'GET' ? { body } : {}),
          });
          const text = await response.text();
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            if (
              [
                'content-encoding',
                'transfer-encoding',
                'content-length',
                'connection',
                'keep-alive',
              ].includes(name)
            )
              return;
            if (state.stripVendorHeaders && name !== 'content-type') return;
            headers[name] = value;
          });
          outgoing.writeHead(response.status, headers);
          outgoing.end(text);
        } catch (error) {
          outgoing.writeHead(502, { 'content-type': 'application/json' });
          outgoing.end(JSON.stringify({ error: { code: 'upstream_error', message: String(error) } }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    get stripVendorHeaders() {
      return state.stripVendorHeaders;
    },
    set stripVendorHeaders(value: boolean) {
      state.stripVendorHeaders = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
