import { type RunLock, RunLockHeldError, type SqliteIssueStore } from '@spec-kitty/store-sqlite';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The store's run lock, waiting up to `waitMs` for another run to finish; unlike the store's own
 * wait, a SIGINT/SIGTERM (the signal) ends the wait at once.
 */
export async function acquireRunLockInterruptibly(
  store: SqliteIssueStore,
  command: string,
  waitMs: number,
  signal: AbortSignal,
): Promise<RunLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    signal.throwIfAborted();
    try {
      return await store.acquireRunLock({ command, waitMs: 0 });
    } catch (error) {
      if (!RunLockHeldError.isInstance(error) || Date.now() >= deadline) throw error;
    }
    await pause(Math.min(100, Math.max(1, deadline - Date.now())), signal);
  }
}
