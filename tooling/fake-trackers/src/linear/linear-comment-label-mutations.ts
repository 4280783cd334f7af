// commentCreate (issue comments only) and issueLabelCreate (names unique per team and workspace).
import { linearCommentCreated } from '../webhooks/linear-webhook-deliveries';
import type { Args, View } from './linear-connection';
import { FakeGapError, LinearInputError } from './linear-filters';
import { notFound, requireIssue, str } from './linear-input-checks';
import { payload } from './linear-issue-mutations';
import type { FakeComment } from './linear-state';
import type { LinearViews } from './linear-views';

function commentCreate(views: LinearViews, args: Args): View {
  const { db } = views;
  const input = args.input as Args;
  const issueId = str(input, 'issueId');
  if (issueId === undefined) {
    throw new FakeGapError('comments on entities other than issues (commentCreate without issueId)');
  }
  const issue = requireIssue(db, issueId);
  const body = str(input, 'body');
  if (body === undefined || body.trim() === '') {
    throw new LinearInputError(
      'Argument Validation Error: body should not be empty',
      'Comment body is required.',
    );
  }
  const at = db.tick();
  const comment: FakeComment = {
    id: str(input, 'id') ?? db.newId(),
    issueId: issue.id,
    body,
    userId: db.viewerId,
    createdAt: at,
    updatedAt: at,
  };
  db.comments.set(comment.id, comment);
  linearCommentCreated(db.webhooks, db, comment);
  return payload(db, 'comment', views.comment(comment));
}

function issueLabelCreate(views: LinearViews, args: Args): View {
  const { db } = views;
  const input = args.input as Args;
  const name = String(input.name);
  const teamId = str(input, 'teamId') ?? null;
  if (teamId !== null && !db.teams.has(teamId)) throw notFound('Team');
  if (name.trim() === '') throw new LinearInputError('Argument Validation Error: name should not be empty');
  const clash = [...db.labels.values()].find(
    (l) => l.name.toLowerCase() === name.toLowerCase() && (l.teamId === teamId || l.teamId === null),
  );
  if (clash) {
    throw new LinearInputError('Duplicate label name', `A label named "${name}" already exists.`);
  }
  const label = db.addLabel({
    name,
    teamId,
    ...(str(input, 'color') ? { color: String(input.color) } : {}),
  });
  return payload(db, 'issueLabel', views.label(label));
}

/** The comment and label mutation root fields. */
export function commentLabelMutations(views: LinearViews): View {
  return {
    commentCreate: (args: Args) => commentCreate(views, args),
    issueLabelCreate: (args: Args) => issueLabelCreate(views, args),
  };
}
