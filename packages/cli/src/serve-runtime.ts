import type { Server } from 'node:http';
import type { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { type LoadedConfig, openProjectStore, storePathOf } from './cli-config';
import { UsageError } from './exit-codes';
import type { ServeLog } from './serve-log';

// The process side of `serve`: its stores, its listening socket, its stop signal, its pruning.

/** Opens each store once (several bindings may share a project's store). */
export function storeOpener() {
  const open = new Map<string, SqliteIssueStore>();
  return {
    open(loaded: LoadedConfig): SqliteIssueStore {
      const path = storePathOf(loaded);
      const known = open.get(path);
      if (known !== undefined) return known;
      const store = openProjectStore(loaded);
      open.set(path, store);
      return store;
    },
    all(): SqliteIssueStore[] {
      return [...open.values()];
    },
    closeAll(): void {
      for (const store of open.values()) store.close();
      open.clear();
    },
  };
}

/** Drops the markers of deliveries processed more than `keepDoneMs` ago: now, then every `intervalMs`. */
export function startPruning(
  stores: readonly SqliteIssueStore[],
  log: ServeLog,
  keepDoneMs: number,
  intervalMs: number,
): NodeJS.Timeout {
  const prune = async () => {
    const before = new Date(Date.now() - keepDoneMs);
    for (const store of stores) {
      try {
        const pruned = await store.pruneDeliveries(before);
        if (pruned > 0)
          log('pruned', { store: store.path, deliveries: pruned, before: before.toISOString() });
      } catch (error) {
        log('failed', { job: 'prune', store: store.path, error });
      }
    }
  };
  void prune();
  return setInterval(() => void prune(), intervalMs).unref();
}

/** Listens, turning "port in use" and "no permission" into errors that say what to do. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE')
        reject(
          new UsageError(
            `serve: ${host}:${port} is already in use (another serve, or another program). Stop it, or pick another port with --port.`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new UsageError(
            `serve: no permission to listen on ${host}:${port}. Use a port above 1023 (--port) and let a proxy listen on 80/443.`,
          ),
        );
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new UsageError(`serve: cannot listen on ${host}: no such local address. Check --host.`));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolvePort(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Stops accepting connections and resolves once every request in flight was answered. Keep-alive
 * connections are closed as soon as they fall idle, instead of after their keep-alive timeout.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    server.close(() => {
      clearInterval(sweep);
      done();
    });
  });
}

/** Resolves with the first of SIGTERM / SIGINT. */
export function stopSignal(): { stopped: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolveSignal) => {
    onSignal = resolveSignal;
  });
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    stopped,
    dispose() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
