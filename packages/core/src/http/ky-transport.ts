// ky builds and sends each request (headers, JSON bodies, a custom fetch). It is imported on the
// first request, not with core: ky probes the runtime's fetch features when its module is
// evaluated, which costs tens of milliseconds of CPU in every process that merely imports core
// (a CLI printing its help, a host that only uses the store).
import type { KyInstance } from 'ky';

let kyModule: Promise<typeof import('ky')> | undefined;

/** Sends one request through ky; retries, timeouts and HTTP errors are the client's, not ky's. */
export type KySend = KyInstance;

/** A ky instance over `fetch` with ky's retry, timeout and status errors switched off (loaded lazily). */
export function lazyKyTransport(fetch: typeof globalThis.fetch): () => Promise<KySend> {
  let instance: Promise<KySend> | undefined;
  return () => {
    kyModule ??= import('ky');
    instance ??= kyModule.then(({ default: ky }) =>
      ky.create({ fetch, retry: 0, timeout: false, throwHttpErrors: false }),
    );
    return instance;
  };
}
