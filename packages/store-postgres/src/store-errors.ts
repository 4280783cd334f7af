import { SpecKittyTrackerError } from '@spec-kitty/core';

/** A problem with the PostgreSQL store: unreachable server, newer schema, failed migration, bad row. */
export class PostgresStoreError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'PostgresStoreError';
}

/** Another worker holds the run lease of this scope. */
export class RunLeaseHeldError extends PostgresStoreError {
  static override readonly errorName: string = 'RunLeaseHeldError';
  readonly holder: RunLeaseHolder;

  constructor(message: string, options: { holder: RunLeaseHolder; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.holder = options.holder;
  }
}

/**
 * This run's lease expired and another run may have taken it over: the write was refused (and
 * rolled back) so two runs of one scope never both commit.
 */
export class RunLeaseLostError extends PostgresStoreError {
  static override readonly errorName: string = 'RunLeaseLostError';
}

/** Who holds a run lease (as stored in `run_leases`). */
export interface RunLeaseHolder {
  readonly scopeId: string;
  readonly token: string;
  /** Free text naming the holder, e.g. `worker 3 (pid 1234 on host-a)`. */
  readonly holder: string;
  readonly command: string;
  readonly acquiredAt: Date;
  readonly expiresAt: Date;
}
