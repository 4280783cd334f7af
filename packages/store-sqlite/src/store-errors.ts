import { SpecKittyTrackerError } from '@spec-kitty/core';

/** A problem with the SQLite store file itself: unreadable, newer schema, failed migration. */
export class SqliteStoreError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'SqliteStoreError';
}

/** Another run holds the advisory run lock on this database. */
export class RunLockHeldError extends SqliteStoreError {
  static override readonly errorName: string = 'RunLockHeldError';
  readonly holder: RunLockHolder;

  constructor(message: string, options: { holder: RunLockHolder; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.holder = options.holder;
  }
}

/** Who holds a run lock (as stored in the `run_lock` row). */
export interface RunLockHolder {
  readonly token: string;
  readonly command: string;
  readonly pid: number;
  readonly hostname: string;
  readonly acquiredAt: Date;
}
