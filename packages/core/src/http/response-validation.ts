// Validates parsed vendor bodies with valibot so a shape change surfaces as one precise
// `IssuePayloadContractError` (`issues[3].fields.status.name: expected string but received 42`)
// instead of an `undefined` deep inside a mapper.
import type { BaseIssue, GenericSchema } from 'valibot';
import { safeParse } from 'valibot';
import { IssuePayloadContractError } from '../errors/errors';
import { formatIssuePath } from './schema-path';

/** Stable reason codes for response-contract failures raised by the HTTP client. */
export const ResponseContractReason = {
  /** The body is not valid JSON. */
  INVALID_JSON: 'HTTP-001',
  /** The body did not match the request's schema. */
  SCHEMA_MISMATCH: 'HTTP-002',
} as const;

function describeIssue(issue: BaseIssue<unknown>): string {
  return `${formatIssuePath(issue)}: expected ${issue.expected ?? 'a valid value'} but received ${issue.received}`;
}

/** Names the request whose response failed validation, for the error message. */
export interface ValidationContext {
  /** The provider id. */
  readonly provider: string;
  /** `GET https://…` (already sanitised). */
  readonly request: string;
}

/** Returns the schema output, or throws naming the first bad field (and counting the rest). */
export function validateResponseBody<T>(
  schema: GenericSchema<unknown, T>,
  data: unknown,
  context: ValidationContext,
): T {
  const result = safeParse(schema, data);
  if (result.success) return result.output;
  const [first, ...rest] = result.issues;
  const fieldPath = first ? formatIssuePath(first) : '<root>';
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  const detail = first ? describeIssue(first) : 'invalid';
  throw new IssuePayloadContractError(`Unexpected response body from ${context.request}: ${detail}${more}`, {
    provider: context.provider,
    kind: 'response',
    fieldPath,
    reason: ResponseContractReason.SCHEMA_MISMATCH,
  });
}
