import { SpecKittyTrackerError } from '@spec-kitty/core';

/** A worker or binding problem: invalid binding, unknown binding, missing credential. */
export class WorkerError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'WorkerError';
}

/** A binding was given invalid values (or something that looks like a secret). */
export class BindingValidationError extends WorkerError {
  static override readonly errorName: string = 'BindingValidationError';
}

export class BindingNotFoundError extends WorkerError {
  static override readonly errorName: string = 'BindingNotFoundError';
}

/** The credential a binding names could not be resolved by this worker. */
export class CredentialNotFoundError extends WorkerError {
  static override readonly errorName: string = 'CredentialNotFoundError';
}
