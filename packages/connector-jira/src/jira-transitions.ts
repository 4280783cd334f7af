// Transition choice. Jira cannot set a status directly: an issue moves only through a transition
// available from its current status, and a transition's screen may require fields. The choice is
// deterministic and never guesses (the 0.4.x connector POSTed the first transition when nothing
// matched):
//   1. the first transition whose destination status name is the desired name;
//   2. else the first whose own name is the desired name (the original's fallback);
//   3. else — only when `statusNameMap` has no explicit entry for the target — the first whose
//      destination status *category* matches (todo → new, in_progress → indeterminate,
//      done → done); blocked / in_review / canceled have no safe category and are never guessed;
//   4. else refuse with the original's exact message (capability "status").
// A chosen transition whose screen requires fields without defaults is refused up front, naming
// the fields, instead of POSTing a request Jira would reject.
import {
  type CanonicalStatus,
  CapabilityNotSupportedError,
  STATUS_TRANSITION_CAPABILITY,
} from '@spec-kitty/core';
import { DEFAULT_STATUS_NAMES, type StatusNameMap } from './jira-mapping';

/** A workflow transition the issue can take now (`GET /rest/api/3/issue/{key}/transitions`). */
export interface JiraTransition {
  /** Transition id, as `POST …/transitions` takes it. */
  id: string;
  /** Transition name shown in Jira. */
  name: string;
}

export interface JiraTransitionOption {
  /** Null for malformed entries without an id (listed in messages, never chosen). */
  id: string | null;
  name: string;
  toName: string;
  toCategory: string | null;
  /** Required screen fields that have no default value. */
  requiredFields: { id: string; name: string }[];
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function idString(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/** `GET …/transitions` payload → options (non-objects skipped; `null` list → none). */
export function parseTransitions(transitions: unknown): JiraTransitionOption[] {
  if (!Array.isArray(transitions)) return [];
  const options: JiraTransitionOption[] = [];
  for (const entry of transitions) {
    const transition = record(entry);
    if (transition === null) continue;
    const to = record(transition.to);
    const requiredFields: { id: string; name: string }[] = [];
    for (const [fieldId, meta] of Object.entries(record(transition.fields) ?? {})) {
      const field = record(meta);
      if (field?.required === true && field.hasDefaultValue !== true) {
        requiredFields.push({ id: fieldId, name: typeof field.name === 'string' ? field.name : fieldId });
      }
    }
    options.push({
      id: idString(transition.id),
      name: transition.name === null || transition.name === undefined ? '' : String(transition.name),
      toName: to === null || to.name === null || to.name === undefined ? '' : String(to.name),
      toCategory:
        typeof record(to?.statusCategory)?.key === 'string'
          ? (record(to?.statusCategory)?.key as string)
          : null,
      requiredFields,
    });
  }
  return options;
}

/** The desired Jira status name for `target`, lower-cased (an explicit empty mapping is kept, as in the original). */
export function desiredStatusName(target: CanonicalStatus, statusNameMap: StatusNameMap): string {
  const mapped = statusNameMap[target];
  return (mapped ?? DEFAULT_STATUS_NAMES[target]).toLowerCase();
}

const CATEGORY_FOR_TARGET: Partial<Record<CanonicalStatus, string>> = {
  todo: 'new',
  in_progress: 'indeterminate',
  done: 'done',
};

export interface TransitionChoice {
  chosen: JiraTransitionOption | null;
  /** Display strings `"name -> destination"` (or `"name"`), in returned order. */
  available: string[];
  matchedBy: 'destination' | 'name' | 'category' | null;
}

export function chooseTransition(
  target: CanonicalStatus,
  options: readonly JiraTransitionOption[],
  statusNameMap: StatusNameMap,
): TransitionChoice {
  const desired = desiredStatusName(target, statusNameMap);
  const available = options.map((option) =>
    option.toName ? `${option.name} -> ${option.toName}` : option.name,
  );
  const candidates = options.filter((option) => option.id !== null);
  const byDestination = candidates.find((option) => option.toName.toLowerCase() === desired);
  if (byDestination) return { chosen: byDestination, available, matchedBy: 'destination' };
  const byName = candidates.find((option) => option.name.toLowerCase() === desired);
  if (byName) return { chosen: byName, available, matchedBy: 'name' };
  const category = statusNameMap[target] === undefined ? CATEGORY_FOR_TARGET[target] : undefined;
  const byCategory =
    category === undefined ? undefined : candidates.find((option) => option.toCategory === category);
  if (byCategory) return { chosen: byCategory, available, matchedBy: 'category' };
  return { chosen: null, available, matchedBy: null };
}

/** Python `repr` of a str (single quotes unless the text has one and no double quote). */
export function pyStrRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

/** The original's refusal, verbatim (`available` rendered as a Python list repr). */
export function noTransitionError(
  target: CanonicalStatus,
  desired: string,
  available: readonly string[],
): CapabilityNotSupportedError {
  return new CapabilityNotSupportedError(
    `No Jira transition matches status '${target}' (resolved desired name '${desired}'); available transitions (name -> destination): [${available.map(pyStrRepr).join(', ')}]`,
    { capability: STATUS_TRANSITION_CAPABILITY },
  );
}

export function requiredFieldsError(
  target: CanonicalStatus,
  option: JiraTransitionOption,
): CapabilityNotSupportedError {
  const fields = option.requiredFields.map((field) => `${field.name} (${field.id})`).join(', ');
  return new CapabilityNotSupportedError(
    `Jira transition '${option.name}' (id ${option.id}) to '${option.toName}' for status '${target}' requires fields spec-kitty does not fill: ${fields}. Give those fields a default or make them optional on the transition screen in the Jira workflow, or map '${target}' to another status with statusNameMap.`,
    { capability: STATUS_TRANSITION_CAPABILITY },
  );
}
