import { ModelValidationError } from '../errors/errors';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import { type CanonicalIssue, CORE_ISSUE_FIELDS, type CoreIssueField, createIssue } from '../model/issue';
import type { ConflictResolution } from '../policy/conflicts';

const CORE_FIELDS: ReadonlySet<string> = new Set(CORE_ISSUE_FIELDS);

/** The resolutions of one issue that can be applied, and the ones that cannot (with why). */
export interface IssueResolutions {
  /** Field name -> the checked value (refs and links normalised as the model holds them). */
  readonly values: Map<CoreIssueField, unknown>;
  /** Field name -> the ids settled once both sides hold the value (later duplicates win). */
  readonly ids: Map<CoreIssueField, string[]>;
  readonly invalid: { readonly resolution: ConflictResolution; readonly message: string }[];
}

/** The answer for an issue without resolutions; never mutated. */
const NO_RESOLUTIONS: IssueResolutions = Object.freeze({
  values: new Map<CoreIssueField, unknown>(),
  ids: new Map<CoreIssueField, string[]>(),
  invalid: [],
});

/** A run's `resolutions` option, indexed by issue identity (only the connector's system). */
export class ResolutionIndex {
  readonly #byIdentity = new Map<string, ConflictResolution[]>();
  readonly #refs: ExternalRef[] = [];

  constructor(resolutions: readonly ConflictResolution[], system: string) {
    for (const resolution of resolutions) {
      if (resolution.issueRef.system !== system) continue;
      const identity = refIdentity(resolution.issueRef);
      const list = this.#byIdentity.get(identity);
      if (list) list.push(resolution);
      else {
        this.#byIdentity.set(identity, [resolution]);
        this.#refs.push(resolution.issueRef);
      }
    }
  }

  get size(): number {
    return this.#refs.length;
  }

  /** The issues that have resolutions, in first-mention order. */
  refs(): readonly ExternalRef[] {
    return this.#refs;
  }

  /** The resolutions for `local`, each value checked against the model. */
  forIssue(local: CanonicalIssue): IssueResolutions {
    // Most runs carry no resolution: no look-up at all.
    const listed = this.#byIdentity.size === 0 ? undefined : this.#byIdentity.get(refIdentity(local.ref));
    // Most issues have none: one shared empty answer, no allocation per issue.
    if (listed === undefined) return NO_RESOLUTIONS;
    const values = new Map<CoreIssueField, unknown>();
    const ids = new Map<CoreIssueField, string[]>();
    const invalid: IssueResolutions['invalid'] = [];
    for (const resolution of listed) {
      const { fieldName } = resolution;
      if (!CORE_FIELDS.has(fieldName)) {
        invalid.push({
          resolution,
          message: `resolution ${resolution.id}: '${fieldName}' is not a syncable field (one of ${CORE_ISSUE_FIELDS.join(', ')})`,
        });
        continue;
      }
      const field = fieldName as CoreIssueField;
      let checked: CanonicalIssue;
      try {
        checked = createIssue({ ...local, [field]: resolution.value });
      } catch (error) {
        if (!ModelValidationError.isInstance(error)) throw error;
        invalid.push({ resolution, message: `resolution ${resolution.id}: ${error.message}` });
        continue;
      }
      values.set(field, checked[field]);
      ids.set(field, [...(ids.get(field) ?? []), resolution.id]);
    }
    return { values, ids, invalid };
  }
}
