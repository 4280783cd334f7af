import { CapabilityNotSupportedError, ConnectorRequestError, TrackerContractError } from '../errors/errors';
import type { FailureClass } from '../errors/failure-class';

/** Errors a push records as a failure and moves on from; anything else aborts, as in the original. */
export function isCapturedWriteError(error: unknown): error is Error {
  return (
    ConnectorRequestError.isInstance(error) ||
    CapabilityNotSupportedError.isInstance(error) ||
    TrackerContractError.isInstance(error)
  );
}

/** A `CapabilityNotSupportedError` or contract error has no failure class (None in the original). */
export function failureClassOf(error: unknown): FailureClass | null {
  return ConnectorRequestError.isInstance(error) ? error.failureClass : null;
}
