import { IssuePayloadContractError } from '../errors/errors';
import { CORE_ISSUE_FIELDS } from '../model/issue';
import { pyRepr } from '../util/python-text';

const CORE_FIELD_SET: ReadonlySet<string> = new Set(CORE_ISSUE_FIELDS);

/** Throws PK-001 for the first key that is not a core issue field, before any write. */
export function rejectUnknownPatchKeys(
  patch: Readonly<Record<string, unknown>>,
  provider: string | null = null,
): void {
  for (const key of Object.keys(patch)) {
    if (!CORE_FIELD_SET.has(key)) {
      throw new IssuePayloadContractError(`Unknown patch key: ${pyRepr(key)}`, {
        provider,
        kind: 'patch',
        fieldPath: key,
        reason: 'PK-001',
      });
    }
  }
}
