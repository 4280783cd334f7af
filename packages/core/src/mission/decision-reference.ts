import { DecisionReferenceContractError, ModelValidationError } from '../errors/errors';
import { createRef, type ExternalRef, type ExternalRefInit } from '../model/external-ref';
import type { JsonValue } from '../util/json-value';
import { isBlank, pyStrip } from '../util/python-text';
import { isPlainObject, pyStr, pyTruthy } from './py-str';

/** A decision a mission depends on; `blocking` ones with an `externalRef` become BLOCKED_BY links. */
export interface DecisionReference {
  /** The decision id. */
  readonly decisionId: string;
  /** One-line summary, when any. */
  readonly summary: string | null;
  /** Whether the decision blocks the mission. */
  readonly blocking: boolean;
  /** Link to the decision, when any. */
  readonly url: string | null;
  /** The tracker issue holding it, when any. */
  readonly externalRef: ExternalRef | null;
}

/** What `createDecisionReference` takes. */
export interface DecisionReferenceInit {
  /** The decision id. */
  decisionId: string;
  /** One-line summary, when any. */
  summary?: string | null;
  /** Whether the decision blocks the mission. */
  blocking?: boolean;
  /** Link to the decision, when any. */
  url?: string | null;
  /** The tracker issue holding it, when any. */
  externalRef?: ExternalRefInit | null;
}

/** Validates and freezes a `DecisionReference` (DR-00x errors). */
export function createDecisionReference(init: DecisionReferenceInit): DecisionReference {
  if (typeof init.decisionId !== 'string')
    throw new ModelValidationError('DecisionReference.decisionId must be a string');
  return Object.freeze({
    decisionId: init.decisionId,
    summary: init.summary ?? null,
    blocking: init.blocking ?? true,
    url: init.url ?? null,
    externalRef: init.externalRef ? createRef(init.externalRef) : null,
  });
}

/** The published wire form (the original's `as_dict()`): snake_case, `external_ref` only when set. */
export function decisionReferenceToJSON(reference: DecisionReference): Record<string, JsonValue> {
  const json: Record<string, JsonValue> = {
    decision_id: reference.decisionId,
    summary: reference.summary,
    blocking: reference.blocking,
    url: reference.url,
  };
  if (reference.externalRef !== null) {
    const { system, workspace, id, key, url } = reference.externalRef;
    json.external_ref = { system, workspace, id, key, url };
  }
  return json;
}

function contractError(message: string, fieldPath: string, reason: string): DecisionReferenceContractError {
  return new DecisionReferenceContractError(message, { provider: null, kind: 'mission', fieldPath, reason });
}

function optionalStr(value: unknown): string | null {
  return value === null || value === undefined ? null : pyStr(value);
}

function parseExternalRef(value: unknown, index: number): ExternalRef | null {
  // A non-object external_ref is silently treated as absent, as in the original.
  if (!isPlainObject(value)) return null;
  const field = (name: string): string => (name in value ? pyStr(value[name]) : '');
  try {
    return createRef({
      system: field('system'),
      workspace: field('workspace'),
      id: field('id'),
      key: optionalStr(value.key),
      url: optionalStr(value.url),
    });
  } catch (error) {
    if (!ModelValidationError.isInstance(error)) throw error;
    throw contractError(
      `decision_refs entry has an invalid external_ref: ${error.message}`,
      `decision_refs[${index}].external_ref`,
      'DR-002',
    );
  }
}

/** Strictly parses an upstream `customFields.decision_refs` value (DR-001, DR-002); stops at the first error. */
export function parseDecisionRefs(value: unknown): DecisionReference[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value))
    throw contractError('custom_fields.decision_refs must be a list', 'decision_refs', 'DR-001');
  return value.map((item: unknown, index) => {
    if (!isPlainObject(item)) {
      throw contractError('decision_refs entry must be an object', `decision_refs[${index}]`, 'DR-001');
    }
    // str(item.get("decision_id", "")).strip(): a present null becomes "None" and passes (quirk kept).
    const decisionId = 'decision_id' in item ? pyStr(item.decision_id) : '';
    if (isBlank(decisionId)) {
      throw contractError(
        'decision_refs entry missing a non-empty decision_id',
        `decision_refs[${index}].decision_id`,
        'DR-001',
      );
    }
    const externalRef = parseExternalRef(item.external_ref, index);
    return Object.freeze({
      decisionId: pyStrip(decisionId),
      summary: optionalStr(item.summary),
      blocking: 'blocking' in item ? pyTruthy(item.blocking) : true,
      url: optionalStr(item.url),
      externalRef,
    });
  });
}
