// The argument checks Linear makes on mutation inputs, with its error messages.
import type { Args } from './linear-connection';
import { LinearInputError } from './linear-filters';
import type { FakeIssue, LinearFakeState } from './linear-state';

/** Linear's "Entity not found" error for `entity`. */
export function notFound(entity: string): LinearInputError {
  return new LinearInputError(`Entity not found: ${entity}`, `Could not find referenced ${entity}.`);
}

/** `input[key]` when it is a string. */
export function str(input: Args, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

/** The issue with this id or identifier, else "Entity not found: Issue". */
export function requireIssue(db: LinearFakeState, id: string): FakeIssue {
  const issue = db.findIssue(id);
  if (!issue) throw notFound('Issue');
  return issue;
}

/** A non-empty title, else Linear's validation error. */
export function checkTitle(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new LinearInputError('Argument Validation Error: title should not be empty', 'Title is required.');
  }
  return value;
}

/** 0..4, or undefined when absent. */
export function checkPriority(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 4) {
    throw new LinearInputError(
      `Argument Validation Error: priority must be an integer between 0 and 4, got ${String(value)}`,
      'Priority must be between 0 (no priority) and 4 (low).',
    );
  }
  return n;
}

/** A workflow state of the issue's team. */
export function checkState(db: LinearFakeState, teamId: string, stateId: string): string {
  const state = db.states.get(stateId);
  if (!state) throw notFound('WorkflowState');
  if (state.teamId !== teamId) {
    throw new LinearInputError(
      'Argument Validation Error: stateId must be a workflow state of the issue team',
      'The workflow state does not belong to the issue team.',
    );
  }
  return stateId;
}

/** Labels of the team or the workspace, de-duplicated. */
export function checkLabels(db: LinearFakeState, teamId: string, ids: unknown): string[] {
  const list = (ids as string[]) ?? [];
  for (const id of list) {
    const label = db.labels.get(id);
    if (!label || (label.teamId !== null && label.teamId !== teamId)) {
      throw new LinearInputError(
        'Entity not found: IssueLabel: labelIds contained an entry that could not be found.',
        'Could not find referenced IssueLabel.',
      );
    }
  }
  return [...new Set(list)];
}

/** An existing issue other than `issueId` itself, or null. */
export function checkParent(
  db: LinearFakeState,
  issueId: string | null,
  parentId: string | null,
): string | null {
  if (parentId === null) return null;
  const parent = db.findIssue(parentId);
  if (!parent) throw notFound('Issue');
  if (parent.id === issueId)
    throw new LinearInputError('Argument Validation Error: an issue cannot be its own parent');
  return parent.id;
}

/** An existing user, or null. */
export function checkUser(db: LinearFakeState, userId: string | null): string | null {
  if (userId === null) return null;
  if (!db.users.has(userId)) throw notFound('User');
  return userId;
}
