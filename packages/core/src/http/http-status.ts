import { ConnectorRequestError } from '../errors/errors';

/**
 * True when `error` is a request failure with one of the given HTTP statuses — the "was this a
 * 404?" test connectors branch on. Errors from a second copy of core count too (`isInstance`).
 */
export function isHttpStatus(
  error: unknown,
  status: number | readonly number[],
): error is ConnectorRequestError {
  if (!ConnectorRequestError.isInstance(error) || error.statusCode === null) return false;
  return typeof status === 'number' ? error.statusCode === status : status.includes(error.statusCode);
}
