import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { RunLockHeldError, type RunLockHolder } from './store-errors';

/** A held advisory run lock. `release()` is idempotent and only removes this lock, never a successor's. */
export interface RunLock {
  readonly holder: RunLockHolder;
  release(): void;
}

export interface RunLockOptions {
  /** What the holder is doing, shown to whoever finds the lock taken (e.g. `sync`). */
  command: string;
  /** Wait up to this long for the lock before failing (default 0: fail at once). */
  waitMs?: number;
  /** A lock older than this is treated as abandoned (default 6 hours). */
  staleAfterMs?: number;
  /** Poll interval while waiting (default 100 ms). */
  pollMs?: number;
}

interface RunLockRow {
  token: string;
  command: string;
  pid: number;
  hostname: string;
  acquired_at: string;
}

const DEFAULT_STALE_AFTER_MS = 6 * 60 * 60 * 1000;

function toHolder(row: RunLockRow): RunLockHolder {
  return {
    token: row.token,
    command: row.command,
    pid: row.pid,
    hostname: row.hostname,
    acquiredAt: new Date(row.acquired_at),
  };
}

/** Whether a process with this id exists on this host (EPERM means it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current holder of the run lock, or null. */
export function readRunLock(db: Database.Database): RunLockHolder | null {
  const row = db
    .prepare('SELECT token, command, pid, hostname, acquired_at FROM run_lock WHERE id = 1')
    .get() as RunLockRow | undefined;
  return row ? toHolder(row) : null;
}

/** Why a holder can be taken over, or null when it must be respected. */
function staleReason(holder: RunLockHolder, staleAfterMs: number, now: number): string | null {
  if (holder.hostname === hostname() && !isProcessAlive(holder.pid)) return `process ${holder.pid} is gone`;
  if (now - holder.acquiredAt.getTime() > staleAfterMs)
    return `older than ${Math.round(staleAfterMs / 1000)} s`;
  return null;
}

function describeHolder(holder: RunLockHolder): string {
  return `\`${holder.command}\` (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt.toISOString()})`;
}

/**
 * One attempt, inside a `BEGIN IMMEDIATE` transaction so two processes cannot both see the row
 * free. Takes over a lock whose holder died on this host or that is older than `staleAfterMs`.
 */
export function tryAcquireRunLock(db: Database.Database, options: RunLockOptions): RunLock | RunLockHolder {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const attempt = db.transaction((): RunLock | RunLockHolder => {
    const current = readRunLock(db);
    if (current !== null && staleReason(current, staleAfterMs, Date.now()) === null) return current;
    const holder: RunLockHolder = {
      token: randomUUID(),
      command: options.command,
      pid: process.pid,
      hostname: hostname(),
      acquiredAt: new Date(),
    };
    db.prepare(
      'INSERT OR REPLACE INTO run_lock (id, token, command, pid, hostname, acquired_at) VALUES (1, ?, ?, ?, ?, ?)',
    ).run(holder.token, holder.command, holder.pid, holder.hostname, holder.acquiredAt.toISOString());
    let released = false;
    return {
      holder,
      release() {
        if (released || !db.open) return;
        released = true;
        db.prepare('DELETE FROM run_lock WHERE id = 1 AND token = ?').run(holder.token);
      },
    };
  });
  return attempt.immediate();
}

/** Acquires the run lock, waiting up to `waitMs`; throws `RunLockHeldError` naming the holder. */
export async function acquireRunLock(db: Database.Database, options: RunLockOptions): Promise<RunLock> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const result = tryAcquireRunLock(db, options);
    if ('release' in result) return result;
    if (Date.now() >= deadline) {
      throw new RunLockHeldError(
        `Another run holds the lock on ${db.name}: ${describeHolder(result)}. Wait for it to finish and retry; if that process no longer exists on another host, clear the lock with \`spec-kitty-tracker unlock\` (or SqliteIssueStore.forceReleaseRunLock()).`,
        { holder: result },
      );
    }
    await sleep(Math.min(options.pollMs ?? 100, Math.max(1, deadline - Date.now())));
  }
}

/** Removes any lock regardless of holder; returns who held it. For operators only. */
export function forceReleaseRunLock(db: Database.Database): RunLockHolder | null {
  return db
    .transaction(() => {
      const current = readRunLock(db);
      db.prepare('DELETE FROM run_lock WHERE id = 1').run();
      return current;
    })
    .immediate();
}
