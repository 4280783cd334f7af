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
    if (customField) {
      if (value === null) writes.push({ apply: (issue) => delete issue.custom[id] });
      else if (customField.type === 'textarea') {
        const problems = checkAdfDocument(value, id);
        if (problems.length > 0)
          errors[id] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
        else writes.push({ apply: (issue) => (issue.custom[id] = value) });
      } else if (typeof value !== 'string') errors[id] = 'Operation value must be a string';
      else if (value.length > 255)
        errors[id] = 'The entered text is too long. It exceeds the allowed limit of 255 characters.';
      else writes.push({ apply: (issue) => (issue.custom[id] = value) });
      continue;
    }
    if (id === 'resolution' && mode === 'transition') {
      const name = isRecord(value) ? value.name : undefined;
      if (typeof name !== 'string' || !RESOLUTIONS.includes(name))
        errors.resolution = 'Resolution is invalid.';
      else writes.push({ apply: (issue) => (issue.resolution = name) });
      continue;
    }
    if (!allowed.has(id) || (id === 'project' && mode !== 'create')) {
      errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
      continue;
    }
    switch (id) {
      case 'project':
        break; // handled by createIssue
      case 'summary':
        if (typeof value !== 'string' || value.trim().length === 0)
          errors.summary = 'You must specify a summary of the issue.';
        else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
        else writes.push({ apply: (issue) => (issue.summary = value) });
        break;
      case 'description':
        if (value === null) writes.push({ apply: (issue) => (issue.description = null) });
        else {
          const problems = checkAdfDocument(value, 'description');
          if (problems.length > 0)
            errors.description = `Operation value must be an Atlassian Document: ${problems[0]}`;
          else writes.push({ apply: (issue) => (issue.description = value) });
        }
        break;
      case 'labels':
        if (!Array.isArray(value) || value.some((label) => typeof label !== 'string')) {
          errors.labels = 'Labels must be an array of strings.';
        } else {
          const bad = value.find((label: string) => /\s/.test(label) || label.length === 0);
          if (bad !== undefined) errors.labels = `The label '${bad}' contains spaces which is invalid.`;
          else writes.push({ apply: (issue) => (issue.labels = [...new Set(value as string[])]) });
        }
        break;
      case 'priority': {
        const name = isRecord(value) ? value.name : undefined;
        if (value === null) writes.push({ apply: (issue) => (issue.priority = null) });
        else if (typeof name !== 'string' || !PRIORITIES.includes(name))
          errors.priority = `Specify a valid priority name.`;
        else writes.push({ apply: (issue) => (issue.priority = name) });
        break;
      }
      case 'issuetype': {
        const name = isRecord(value) ? value.name : undefined;
        if (typeof name !== 'string' || !ISSUE_TYPES.includes(name))
          errors.issuetype = 'Specify an issue type';
        else writes.push({ apply: (issue) => (issue.issuetype = name) });
        break;
      }
      case 'assignee': {
        const accountId = isRecord(value) ? value.accountId : undefined;
        if (value === null) writes.push({ apply: (issue) => (issue.assignee = null) });
        else if (typeof accountId !== 'string') errors.assignee = 'Specify a valid accountId.';
        else writes.push({ apply: (issue) => (issue.assignee = accountId) });
        break;
      }
      case 'parent': {
        const ref = isRecord(value) ? (value.key ?? value.id) : undefined;
        const parent = typeof ref === 'string' ? state.findIssue(ref) : undefined;
        if (value === null) writes.push({ apply: (issue) => (issue.parentId = null) });
        else if (!parent) errors.parent = 'Could not find issue by id or key.';
        else writes.push({ apply: (issue) => (issue.parentId = parent.id) });
        break;
      }
      default:
        errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
  }
  return { errors, writes };
}
