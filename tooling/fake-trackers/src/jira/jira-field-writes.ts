/** Validation of the `fields` of a create / edit / transition request into deferred writes. */
import { checkAdfDocument } from './jira-adf-check';
import { isRecord, type JsonRecord } from './jira-render';
import {
  ISSUE_TYPES,
  type JiraFakeIssue,
  type JiraFakeState,
  PRIORITIES,
  RESOLUTIONS,
  SETTABLE,
} from './jira-state';

export interface FieldWrite {
  apply: (issue: JiraFakeIssue) => void;
}

/** A field's validation outcome: the write to apply, an error message, or null (nothing to write). */
type FieldOutcome = FieldWrite | string | null;

/** Validates `fields` of a create / edit / transition request; returns errors keyed by field or writes. */
export function parseFieldWrites(
  state: JiraFakeState,
  fields: JsonRecord,
  mode: 'create' | 'edit' | 'transition',
  allowed: Set<string> = SETTABLE,
): { errors: Record<string, string>; writes: FieldWrite[] } {
  const errors: Record<string, string> = {};
  const writes: FieldWrite[] = [];
  for (const [id, value] of Object.entries(fields)) {
    const customField = state.customFields.find((field) => field.id === id);
    let outcome: FieldOutcome;
    if (customField) outcome = customFieldWrite(customField.type, id, value);
    else if (id === 'resolution' && mode === 'transition') outcome = resolutionWrite(value);
    else if (!allowed.has(id) || (id === 'project' && mode !== 'create')) outcome = cannotBeSet(id);
    else outcome = systemFieldWrite(state, id, value);
    if (typeof outcome === 'string') errors[id] = outcome;
    else if (outcome !== null) writes.push(outcome);
  }
  return { errors, writes };
}

function cannotBeSet(id: string): string {
  return `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

function customFieldWrite(type: 'textarea' | 'textfield', id: string, value: unknown): FieldOutcome {
  if (value === null) return { apply: (issue) => delete issue.custom[id] };
  if (type === 'textarea') {
    const problems = checkAdfDocument(value, id);
    if (problems.length > 0)
      return 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    return { apply: (issue) => (issue.custom[id] = value) };
  }
  if (typeof value !== 'string') return 'Operation value must be a string';
  if (value.length > 255)
    return 'The entered text is too long. It exceeds the allowed limit of 255 characters.';
  return { apply: (issue) => (issue.custom[id] = value) };
}

function resolutionWrite(value: unknown): FieldOutcome {
  const name = isRecord(value) ? value.name : undefined;
  if (typeof name !== 'string' || !RESOLUTIONS.includes(name)) return 'Resolution is invalid.';
  return { apply: (issue) => (issue.resolution = name) };
}

function systemFieldWrite(state: JiraFakeState, id: string, value: unknown): FieldOutcome {
  switch (id) {
    case 'project':
      return null; // handled by createIssue
    case 'summary':
      if (typeof value !== 'string' || value.trim().length === 0)
        return 'You must specify a summary of the issue.';
      if (value.length > 255) return 'Summary must be less than 255 characters.';
      return { apply: (issue) => (issue.summary = value) };
    case 'description': {
      if (value === null) return { apply: (issue) => (issue.description = null) };
      const problems = checkAdfDocument(value, 'description');
      if (problems.length > 0) return `Operation value must be an Atlassian Document: ${problems[0]}`;
      return { apply: (issue) => (issue.description = value) };
    }
    case 'labels': {
      if (!Array.isArray(value) || value.some((label) => typeof label !== 'string'))
        return 'Labels must be an array of strings.';
      const bad = value.find((label: string) => /\s/.test(label) || label.length === 0);
      if (bad !== undefined) return `The label '${bad}' contains spaces which is invalid.`;
      return { apply: (issue) => (issue.labels = [...new Set(value as string[])]) };
    }
    case 'priority': {
      const name = isRecord(value) ? value.name : undefined;
      if (value === null) return { apply: (issue) => (issue.priority = null) };
      if (typeof name !== 'string' || !PRIORITIES.includes(name)) return `Specify a valid priority name.`;
      return { apply: (issue) => (issue.priority = name) };
    }
    case 'issuetype': {
      const name = isRecord(value) ? value.name : undefined;
      if (typeof name !== 'string' || !ISSUE_TYPES.includes(name)) return 'Specify an issue type';
      return { apply: (issue) => (issue.issuetype = name) };
    }
    case 'assignee': {
      const accountId = isRecord(value) ? value.accountId : undefined;
      if (value === null) return { apply: (issue) => (issue.assignee = null) };
      if (typeof accountId !== 'string') return 'Specify a valid accountId.';
      return { apply: (issue) => (issue.assignee = accountId) };
    }
    case 'parent': {
      const ref = isRecord(value) ? (value.key ?? value.id) : undefined;
      const parent = typeof ref === 'string' ? state.findIssue(ref) : undefined;
      if (value === null) return { apply: (issue) => (issue.parentId = null) };
      if (!parent) return 'Could not find issue by id or key.';
      return { apply: (issue) => (issue.parentId = parent.id) };
    }
    default:
      return cannotBeSet(id);
  }
}
