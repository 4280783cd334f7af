import {
  FakeGapError,
  LinearInputError,
  matchIssue,
  matchLabel,
  matchState,
  matchTeam,
} from './linear-filters';
import type {
  FakeComment,
  FakeIssue,
  FakeIssueHistory,
  FakeLabel,
  FakeRelation,
  FakeTeam,
  FakeUser,
  FakeWorkflowState,
  LinearFakeState,
} from './linear-state';

/** Linear's documented maximum for `first` / `last`. */
export const LINEAR_MAX_PAGE_SIZE = 250;
const DEFAULT_PAGE_SIZE = 50;

type Args = Record<string, unknown>;
type View = Record<string, unknown>;

interface Sortable {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date | null;
}

function encodeCursor(ms: number, id: string): string {
  return Buffer.from(JSON.stringify([ms, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw new LinearInputError(`Invalid cursor: ${cursor}`, 'The pagination cursor is invalid.');
}

/**
 * A Relay connection over `items`, ordered newest-first by `orderBy` (createdAt by default, like
 * Linear), ties broken by id; cursors are keyset positions, so a row that changes its sort key
 * after being passed does not shift the following pages.
 */
export function connection<T extends Sortable>(
  items: readonly T[],
  args: Args,
  view: (item: T) => View,
): View {
  if (args.last !== undefined && args.last !== null)
    throw new FakeGapError('backward pagination (last/before)');
  if (args.before !== undefined && args.before !== null)
    throw new FakeGapError('backward pagination (last/before)');
  const first = args.first === undefined || args.first === null ? DEFAULT_PAGE_SIZE : Number(args.first);
  if (first < 0 || first > LINEAR_MAX_PAGE_SIZE) {
    throw new LinearInputError(
      `Argument Validation Error: first must be between 0 and ${LINEAR_MAX_PAGE_SIZE}, got ${first}`,
      `You can request at most ${LINEAR_MAX_PAGE_SIZE} items per page.`,
    );
  }
  const field = args.orderBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
  const includeArchived = args.includeArchived === true;
  const key = (item: T): number => item[field].getTime();
  const sorted = items
    .filter((item) => includeArchived || !item.archivedAt)
    .sort((a, b) => key(b) - key(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  let start = 0;
  if (typeof args.after === 'string' && args.after !== '') {
    const [ms, id] = decodeCursor(args.after);
    start = sorted.findIndex((item) => key(item) < ms || (key(item) === ms && item.id < id));
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + first);
  const cursors = page.map((item) => encodeCursor(key(item), item.id));
  return {
    nodes: page.map(view),
    edges: page.map((item, index) => ({ node: view(item), cursor: cursors[index] })),
    pageInfo: {
      hasNextPage: start + first < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
  };
}

const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

function notFound(entity: string): LinearInputError {
  return new LinearInputError(`Entity not found: ${entity}`, `Could not find referenced ${entity}.`);
}

function str(input: Args, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

/** Builds the root value (Query + Mutation fields) and the object views over a fake state. */
export function createLinearRoot(db: LinearFakeState): View {
  const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

  const userView = (user: FakeUser): View => ({
    ...user,
    active: true,
    admin: false,
    guest: false,
    isMe: user.id === db.viewerId,
    url: `https://linear.app/${db.organization.urlKey}/profiles/${user.displayName}`,
  });

  const teamView = (team: FakeTeam): View => ({
    ...team,
    displayName: team.name,
    private: false,
    states: (args: Args) =>
      connection(
        db
          .teamStates(team.id)
          .filter((s) => !args.filter || matchState(s, args.filter, 'filter', db))
          .map((s) => ({ ...s, createdAt: new Date(s.position), updatedAt: new Date(s.position) })),
        args,
        (s) => stateView(s),
      ),
    labels: (args: Args) =>
      connection(
        [...db.labels.values()].filter(
          (l) => l.teamId === team.id && (!args.filter || matchLabel(l, args.filter, 'filter', db)),
        ),
        args,
        labelView,
      ),
    issues: (args: Args) =>
      connection(
        [...db.issues.values()].filter(
          (i) => i.teamId === team.id && (!args.filter || matchIssue(i, args.filter, 'filter', db)),
        ),
        args,
        issueView,
      ),
    organization: () => organizationView(),
  });

  const stateView = (state: FakeWorkflowState): View => ({
    id: state.id,
    name: state.name,
    type: state.type,
    position: state.position,
    color: state.color,
    description: null,
    team: () => teamView(db.teams.get(state.teamId) as FakeTeam),
  });

  const labelView = (label: FakeLabel): View => ({
    id: label.id,
    name: label.name,
    color: label.color,
    description: null,
    isGroup: false,
    createdAt: iso(label.createdAt),
    updatedAt: iso(label.updatedAt),
    team: () => (label.teamId === null ? null : teamView(db.teams.get(label.teamId) as FakeTeam)),
  });

  const relationView = (relation: FakeRelation): View => ({
    id: relation.id,
    type: relation.type,
    createdAt: iso(relation.createdAt),
    updatedAt: iso(relation.updatedAt),
    issue: () => issueView(db.issues.get(relation.issueId) as FakeIssue),
    relatedIssue: () => issueView(db.issues.get(relation.relatedIssueId) as FakeIssue),
  });

  const commentView = (comment: FakeComment): View => ({
    id: comment.id,
    body: comment.body,
    createdAt: iso(comment.createdAt),
    updatedAt: iso(comment.updatedAt),
    issueId: comment.issueId,
    url: `https://linear.app/${db.organization.urlKey}/comment/${comment.id}`,
    issue: () => issueView(db.issues.get(comment.issueId) as FakeIssue),
    user: () => (comment.userId ? userView(db.users.get(comment.userId) as FakeUser) : null),
  });

  const historyView = (entry: FakeIssueHistory): View => ({
    id: entry.id,
    createdAt: iso(entry.createdAt),
    updatedAt: iso(entry.updatedAt),
    archivedAt: iso(entry.archivedAt),
    addedLabelIds: [...entry.addedLabelIds],
    removedLabelIds: [...entry.removedLabelIds],
    addedLabels: () =>
      entry.addedLabelIds
        .map((id) => db.labels.get(id))
        .filter((l) => l !== undefined)
        .map(labelView),
    removedLabels: () =>
      entry.removedLabelIds
        .map((id) => db.labels.get(id))
        .filter((l) => l !== undefined)
        .map(labelView),
    issue: () => issueView(db.issues.get(entry.issueId) as FakeIssue),
  });

  const issueView = (issue: FakeIssue): View => {
    const identifier = db.identifier(issue);
    return {
      id: issue.id,
      identifier,
      number: issue.number,
      title: issue.title,
      description: issue.description,
      priority: issue.priority,
      priorityLabel: PRIORITY_LABELS[issue.priority] ?? 'No priority',
      createdAt: iso(issue.createdAt),
      updatedAt: iso(issue.updatedAt),
      archivedAt: iso(issue.archivedAt),
      labelIds: [...issue.labelIds],
      url: `https://linear.app/${db.organization.urlKey}/issue/${identifier}/${slug(issue.title)}`,
      branchName: `${identifier.toLowerCase()}-${slug(issue.title)}`,
      state: () => stateView(db.states.get(issue.stateId) as FakeWorkflowState),
      team: () => teamView(db.teams.get(issue.teamId) as FakeTeam),
      assignee: () => (issue.assigneeId ? userView(db.users.get(issue.assigneeId) as FakeUser) : null),
      parent: () => {
        const parent = issue.parentId ? db.issues.get(issue.parentId) : undefined;
        return parent ? issueView(parent) : null;
      },
      labels: (args: Args) =>
        connection(
          issue.labelIds
            .map((id) => db.labels.get(id))
            .filter(
              (l): l is FakeLabel =>
                l !== undefined && (!args.filter || matchLabel(l, args.filter, 'filter', db)),
            ),
          args,
          labelView,
        ),
      children: (args: Args) =>
        connection(
          [...db.issues.values()].filter(
            (i) => i.parentId === issue.id && (!args.filter || matchIssue(i, args.filter, 'filter', db)),
          ),
          args,
          issueView,
        ),
      relations: (args: Args) =>
        connection(
          [...db.relations.values()].filter((r) => r.issueId === issue.id),
          args,
          relationView,
        ),
      inverseRelations: (args: Args) =>
        connection(
          [...db.relations.values()].filter((r) => r.relatedIssueId === issue.id),
          args,
          relationView,
        ),
      history: (args: Args) =>
        connection(
          db.histories.filter((entry) => entry.issueId === issue.id),
          args,
          historyView,
        ),
      comments: (args: Args) =>
        connection(
          [...db.comments.values()].filter((c) => c.issueId === issue.id),
          args,
          commentView,
        ),
    };
  };

  const organizationView = (): View => ({
    ...db.organization,
    teams: (args: Args) => teamsConnection(args),
    users: (args: Args) => connection(usersAsSortable(), args, userView),
  });

  const usersAsSortable = () =>
    [...db.users.values()].map((u) => ({ ...u, createdAt: new Date(0), updatedAt: new Date(0) }));

  const teamsConnection = (args: Args): View =>
    connection(
      [...db.teams.values()]
        .filter((t) => !args.filter || matchTeam(t, args.filter, 'filter'))
        .map((t, index) => ({ ...t, createdAt: new Date(index), updatedAt: new Date(index) })),
      { orderBy: 'createdAt', ...args },
      teamView,
    );

  const requireIssue = (id: string): FakeIssue => {
    const issue = db.findIssue(id);
    if (!issue) throw notFound('Issue');
    return issue;
  };

  const checkPriority = (value: unknown): number | undefined => {
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 4) {
      throw new LinearInputError(
        `Argument Validation Error: priority must be an integer between 0 and 4, got ${String(value)}`,
        'Priority must be between 0 (no priority) and 4 (low).',
      );
    }
    return n;
  };

  const checkState = (teamId: string, stateId: string): string => {
    const state = db.states.get(stateId);
    if (!state) throw notFound('WorkflowState');
    if (state.teamId !== teamId) {
      throw new LinearInputError(
        'Argument Validation Error: stateId must be a workflow state of the issue team',
        'The workflow state does not belong to the issue team.',
      );
    }
    return stateId;
  };

  const checkLabels = (teamId: string, ids: unknown): string[] => {
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
  };

  const checkParent = (issueId: string | null, parentId: string | null): string | null => {
    if (parentId === null) return null;
    const parent = db.findIssue(parentId);
    if (!parent) throw notFound('Issue');
    if (parent.id === issueId)
      throw new LinearInputError('Argument Validation Error: an issue cannot be its own parent');
    return parent.id;
  };

  const checkUser = (userId: string | null): string | null => {
    if (userId === null) return null;
    if (!db.users.has(userId)) throw notFound('User');
    return userId;
  };

  const payload = (key: string, value: View | null): View => ({
    success: true,
    lastSyncId: db.lastSyncId,
    [key]: value,
  });

  const query: View = {
    issue: (args: Args) => issueView(requireIssue(String(args.id))),
    issues: (args: Args) =>
      connection(
        [...db.issues.values()].filter((i) => !args.filter || matchIssue(i, args.filter, 'filter', db)),
        args,
        issueView,
      ),
    organization: () => organizationView(),
    teams: (args: Args) => teamsConnection(args),
    team: (args: Args) => {
      const team = db.teams.get(String(args.id)) ?? [...db.teams.values()].find((t) => t.key === args.id);
      if (!team) throw notFound('Team');
      return teamView(team);
    },
    workflowStates: (args: Args) =>
      connection(
        [...db.states.values()]
          .filter((s) => !args.filter || matchState(s, args.filter, 'filter', db))
          .map((s) => ({ ...s, createdAt: new Date(s.position), updatedAt: new Date(s.position) })),
        args,
        (s) => stateView(s),
      ),
    issueLabels: (args: Args) =>
      connection(
        [...db.labels.values()].filter((l) => !args.filter || matchLabel(l, args.filter, 'filter', db)),
        args,
        labelView,
      ),
    users: (args: Args) => connection(usersAsSortable(), args, userView),
    user: (args: Args) => {
      const user = db.users.get(String(args.id));
      if (!user) throw notFound('User');
      return userView(user);
    },
    viewer: () => {
      const user = db.viewerId ? db.users.get(db.viewerId) : undefined;
      if (!user)
        throw new LinearInputError(
          'Authentication required',
          'You need to authenticate.',
          'AUTHENTICATION_ERROR',
        );
      return userView(user);
    },
  };

  const mutation: View = {
    issueCreate: (args: Args) => {
      const input = args.input as Args;
      const teamId = String(input.teamId);
      if (!db.teams.has(teamId)) throw notFound('Team');
      const title = str(input, 'title');
      if (title === undefined || title.trim() === '') {
        throw new LinearInputError(
          'Argument Validation Error: title should not be empty',
          'Title is required.',
        );
      }
      const id = str(input, 'id');
      if (id !== undefined) {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) {
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
      for (const key of Object.keys(input)) {
        if (
          input[key] !== undefined &&
          input[key] !== null &&
          ![
            'teamId',
            'title',
            'description',
            'priority',
            'stateId',
            'labelIds',
            'parentId',
            'assigneeId',
            'id',
          ].includes(key)
        ) {
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
          : { stateId: checkState(teamId, String(input.stateId)) }),
        labelIds: checkLabels(teamId, input.labelIds),
        parentId: checkParent(null, str(input, 'parentId') ?? null),
        assigneeId: checkUser(str(input, 'assigneeId') ?? null),
      });
      return payload('issue', issueView(issue));
    },
    issueUpdate: (args: Args) => {
      const issue = requireIssue(String(args.id));
      const input = args.input as Args;
      const change: Partial<FakeIssue> = {};
      for (const key of Object.keys(input)) {
        const value = input[key];
        if (value === undefined) continue;
        switch (key) {
          case 'title':
            if (typeof value !== 'string' || value.trim() === '') {
              throw new LinearInputError(
                'Argument Validation Error: title should not be empty',
                'Title is required.',
              );
            }
            change.title = value;
            break;
          case 'description':
            change.description = value as string | null;
            break;
          case 'priority':
            change.priority = checkPriority(value) ?? 0;
            break;
          case 'stateId':
            change.stateId = checkState(issue.teamId, String(value));
            break;
          case 'labelIds':
            change.labelIds = checkLabels(issue.teamId, value);
            break;
          case 'addedLabelIds':
            change.labelIds = [
              ...new Set([...(change.labelIds ?? issue.labelIds), ...checkLabels(issue.teamId, value)]),
            ];
            break;
          case 'removedLabelIds': {
            const removed = new Set(value as string[]);
            change.labelIds = (change.labelIds ?? issue.labelIds).filter((id) => !removed.has(id));
            break;
          }
          case 'parentId':
            change.parentId = checkParent(issue.id, value as string | null);
            break;
          case 'assigneeId':
            change.assigneeId = checkUser(value as string | null);
            break;
          default:
            throw new FakeGapError(`IssueUpdateInput.${key}`);
        }
      }
      db.touchIssue(issue.id, change);
      return payload('issue', issueView(issue));
    },
    issueRelationCreate: (args: Args) => {
      const input = args.input as Args;
      const from = requireIssue(String(input.issueId));
      const to = requireIssue(String(input.relatedIssueId));
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
      return payload('issueRelation', relationView(relation));
    },
    commentCreate: (args: Args) => {
      const input = args.input as Args;
      const issueId = str(input, 'issueId');
      if (issueId === undefined) {
        throw new FakeGapError('comments on entities other than issues (commentCreate without issueId)');
      }
      const issue = requireIssue(issueId);
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
      return payload('comment', commentView(comment));
    },
    issueLabelCreate: (args: Args) => {
      const input = args.input as Args;
      const name = String(input.name);
      const teamId = str(input, 'teamId') ?? null;
      if (teamId !== null && !db.teams.has(teamId)) throw notFound('Team');
      if (name.trim() === '')
        throw new LinearInputError('Argument Validation Error: name should not be empty');
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
      return payload('issueLabel', labelView(label));
    },
  };

  return { query, mutation };
}
