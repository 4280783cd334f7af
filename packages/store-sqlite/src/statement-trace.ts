/**
 * A hook for this package's tests (not exported from its entry): while set, stores opened from
 * then on hand it the SQL of every statement they run (better-sqlite3's `verbose`), so tests
 * count statements instead of timing them.
 */
let trace: ((sql: string) => void) | undefined;

/** Sets the hook for stores opened from now on; returns the function that unsets it. */
export function traceStatements(hook: (sql: string) => void): () => void {
  trace = hook;
  return () => {
    trace = undefined;
  };
}

/** The hook a store opened now passes to better-sqlite3, if any. */
export function statementTrace(): ((message?: unknown) => void) | undefined {
  const hook = trace;
  return hook === undefined ? undefined : (message) => hook(String(message));
}
