// Issue mutations: issueCreate, issueUpdate and issueRelationCreate, with Linear's input checks.
import type { Args, View } from './linear-connection';
import { FakeGapError, LinearInputError } from './linear-filters';
import {
  checkLabels,
  checkParent,
  checkPriority,
  checkState,
  checkTitle,
  checkUser,
  notFound,
  requireIssue,
  str,
} from './linear-input-checks';
import type { FakeIssue, FakeRelation, LinearFakeState } from './linear-state';
import type { LinearViews } from './linear-views';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const CREATE_KEYS = [
  'teamId',
  'title',
  'description',
  'priority',
  'stateId',
  'labelIds',
  'parentId',
  'assigneeId',
  'id',
];

/** A mutation's payload: success, the sync id, and the entity under `key`. */
export function payload(db: LinearFakeState, key: string, value: View | null): View {
  return { success: true, lastSyncId: db.lastSyncId, [key]: value };
}

/** A client-chosen id must be a fresh UUID v4. */
function checkNewIssueId(db: LinearFakeState, id: string | undefined): void {
  if (id === undefined) return;
  if (!UUID_V4.test(id)) {
    throw new LinearInputError(
      'Argument Validation Error: id must be a UUID v4',
      'The id must be a UUID v4.',
    );
  }
  if (db.issues.has(id)) {
    throw new LinearInputError(
      'Argument Validation Error: an issue with this id already exists',
      'An issue with this id already exists.',
      'CONFLICT',
    );
  }
}

function issueCreate(views: LinearViews, args: Args): View {
  const { db } = views;
  const input = args.input as Args;
  const teamId = String(input.teamId);
  if (!db.teams.has(teamId)) throw notFound('Team');
  const title = checkTitle(str(input, 'title'));
  const id = str(input, 'id');
  checkNewIssueId(db, id);
  for (const key of Object.keys(input)) {
    if (input[key] !== undefined && input[key] !== null && !CREATE_KEYS.includes(key)) {
      throw new FakeGapError(`IssueCreateInput.${key}`);
    }
  }
  const issue = db.addIssue({
    ...(id === undefined ? {} : { id }),
    teamId,
    title,
    description: str(input, 'description') ?? null,
    priority: checkPriority(input.priority) ?? 0,
    ...(str(input, 'stateId') === undefined
      ? {}
      : { stateId: checkState(db, teamId, String(input.stateId)) }),
    labelIds: checkLabels(db, teamId, input.labelIds),
    parentId: checkParent(db, null, str(input, 'parentId') ?? null),
    assigneeId: checkUser(db, str(input, 'assigneeId') ?? null),
  });
  return payload(db, 'issue', views.issue(issue));
}

/** Adds one `IssueUpdateInput` field to `change` (label edits build on earlier ones). */
function updateField(
  db: LinearFakeState,
  issue: FakeIssue,
  change: Partial<FakeIssue>,
  key: string,
  value: unknown,
) {
  switch (key) {
    case 'title':
      change.title = checkTitle(value);
      break;
    case 'description':
      change.description = value as string | null;
      break;
    case 'priority':
      change.priority = checkPriority(value) ?? 0;
      break;
    case 'stateId':
      change.stateId = checkState(db, issue.teamId, String(value));
      break;
    case 'labelIds':
      change.labelIds = checkLabels(db, issue.teamId, value);
      break;
    case 'addedLabelIds':
      change.labelIds = [
        ...new Set([...(change.labelIds ?? issue.labelIds), ...checkLabels(db, issue.teamId, value)]),
      ];
      break;
    case 'removedLabelIds': {
      const removed = new Set(value as string[]);
      change.labelIds = (change.labelIds ?? issue.labelIds).filter((id) => !removed.has(id));
      break;
    }
    case 'parentId':
      change.parentId = checkParent(db, issue.id, value as string | null);
      break;
    case 'assigneeId':
      change.assigneeId = checkUser(db, value as string | null);
      break;
    default:
      throw new FakeGapError(`IssueUpdateInput.${key}`);
  }
}

function issueUpdate(views: LinearViews, args: Args): View {
  const { db } = views;
  const issue = requireIssue(db, String(args.id));
  const input = args.input as Args;
  const change: Partial<FakeIssue> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value !== undefined) updateField(db, issue, change, key, value);
  }
  db.touchIssue(issue.id, change);
  return payload(db, 'issue', views.issue(issue));
}

function issueRelationCreate(views: LinearViews, args: Args): View {
  const { db } = views;
  const input = args.input as Args;
  const from = requireIssue(db, String(input.issueId));
  const to = requireIssue(db, String(input.relatedIssueId));
  if (from.id === to.id) {
    throw new LinearInputError(
      'Argument Validation Error: an issue cannot relate to itself',
      'Cannot relate an issue to itself.',
    );
  }
  const relation = db.addRelation(
    from.id,
    to.id,
    input.type as FakeRelation['type'],
    str(input, 'id') ?? db.newId(),
  );
  return payload(db, 'issueRelation', views.relation(relation));
}

/** The issue mutation root fields. */
export function issueMutations(views: LinearViews): View {
  return {
    issueCreate: (args: Args) => issueCreate(views, args),
    issueUpdate: (args: Args) => issueUpdate(views, args),
    issueRelationCreate: (args: Args) => issueRelationCreate(views, args),
  };
}
