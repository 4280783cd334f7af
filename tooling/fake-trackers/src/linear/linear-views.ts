// The GraphQL object views over the fake's state: plain fields, and functions for nested fields
// and connections (resolved only when a query selects them).
import { type Args, connection, type View } from './linear-connection';
import { matchIssue, matchLabel, matchState, matchTeam } from './linear-filters';
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

const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** Views of the fake's records as Linear's GraphQL types (User, Team, Issue, …). */
export class LinearViews {
  constructor(readonly db: LinearFakeState) {}

  user(user: FakeUser): View {
    const { db } = this;
    return {
      ...user,
      active: true,
      admin: false,
      guest: false,
      isMe: user.id === db.viewerId,
      url: `https://linear.app/${db.organization.urlKey}/profiles/${user.displayName}`,
    };
  }

  /** Workflow states as a connection (positions stand in for the timestamps the ordering needs). */
  states(states: readonly FakeWorkflowState[], args: Args): View {
    return connection(
      states
        .filter((s) => !args.filter || matchState(s, args.filter, 'filter', this.db))
        .map((s) => ({ ...s, createdAt: new Date(s.position), updatedAt: new Date(s.position) })),
      args,
      (s) => this.state(s),
    );
  }

  /** Labels as a connection, with the query's label filter. */
  labels(labels: readonly FakeLabel[], args: Args): View {
    return connection(
      labels.filter((l) => !args.filter || matchLabel(l, args.filter, 'filter', this.db)),
      args,
      (l) => this.label(l),
    );
  }

  /** Issues as a connection, with the query's issue filter. */
  issues(issues: readonly FakeIssue[], args: Args): View {
    return connection(
      issues.filter((i) => !args.filter || matchIssue(i, args.filter, 'filter', this.db)),
      args,
      (i) => this.issue(i),
    );
  }

  team(team: FakeTeam): View {
    const { db } = this;
    return {
      ...team,
      displayName: team.name,
      private: false,
      states: (args: Args) => this.states(db.teamStates(team.id), args),
      labels: (args: Args) =>
        this.labels(
          [...db.labels.values()].filter((l) => l.teamId === team.id),
          args,
        ),
      issues: (args: Args) =>
        this.issues(
          [...db.issues.values()].filter((i) => i.teamId === team.id),
          args,
        ),
      organization: () => this.organization(),
    };
  }

  /** Teams as a connection in insertion order (indexes stand in for timestamps). */
  teams(args: Args): View {
    return connection(
      [...this.db.teams.values()]
        .filter((t) => !args.filter || matchTeam(t, args.filter, 'filter'))
        .map((t, index) => ({ ...t, createdAt: new Date(index), updatedAt: new Date(index) })),
      { orderBy: 'createdAt', ...args },
      (t) => this.team(t),
    );
  }

  /** Users as a connection (all users share one timestamp; ties go by id). */
  users(args: Args): View {
    const users = [...this.db.users.values()].map((u) => ({
      ...u,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    }));
    return connection(users, args, (u) => this.user(u));
  }

  state(state: FakeWorkflowState): View {
    return {
      id: state.id,
      name: state.name,
      type: state.type,
      position: state.position,
      color: state.color,
      description: null,
      team: () => this.team(this.db.teams.get(state.teamId) as FakeTeam),
    };
  }

  label(label: FakeLabel): View {
    return {
      id: label.id,
      name: label.name,
      color: label.color,
      description: null,
      isGroup: false,
      createdAt: iso(label.createdAt),
      updatedAt: iso(label.updatedAt),
      team: () => (label.teamId === null ? null : this.team(this.db.teams.get(label.teamId) as FakeTeam)),
    };
  }

  relation(relation: FakeRelation): View {
    const { db } = this;
    return {
      id: relation.id,
      type: relation.type,
      createdAt: iso(relation.createdAt),
      updatedAt: iso(relation.updatedAt),
      issue: () => this.issue(db.issues.get(relation.issueId) as FakeIssue),
      relatedIssue: () => this.issue(db.issues.get(relation.relatedIssueId) as FakeIssue),
    };
  }

  comment(comment: FakeComment): View {
    const { db } = this;
    return {
      id: comment.id,
      body: comment.body,
      createdAt: iso(comment.createdAt),
      updatedAt: iso(comment.updatedAt),
      issueId: comment.issueId,
      url: `https://linear.app/${db.organization.urlKey}/comment/${comment.id}`,
      issue: () => this.issue(db.issues.get(comment.issueId) as FakeIssue),
      user: () => (comment.userId ? this.user(db.users.get(comment.userId) as FakeUser) : null),
    };
  }

  history(entry: FakeIssueHistory): View {
    const labelsOf = (ids: readonly string[]) =>
      ids
        .map((id) => this.db.labels.get(id))
        .filter((l) => l !== undefined)
        .map((l) => this.label(l));
    return {
      id: entry.id,
      createdAt: iso(entry.createdAt),
      updatedAt: iso(entry.updatedAt),
      archivedAt: iso(entry.archivedAt),
      addedLabelIds: [...entry.addedLabelIds],
      removedLabelIds: [...entry.removedLabelIds],
      addedLabels: () => labelsOf(entry.addedLabelIds),
      removedLabels: () => labelsOf(entry.removedLabelIds),
      issue: () => this.issue(this.db.issues.get(entry.issueId) as FakeIssue),
    };
  }

  issue(issue: FakeIssue): View {
    const { db } = this;
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
      trashed: issue.trashed ? true : null,
      labelIds: [...issue.labelIds],
      url: `https://linear.app/${db.organization.urlKey}/issue/${identifier}/${slug(issue.title)}`,
      branchName: `${identifier.toLowerCase()}-${slug(issue.title)}`,
      state: () => this.state(db.states.get(issue.stateId) as FakeWorkflowState),
      team: () => this.team(db.teams.get(issue.teamId) as FakeTeam),
      assignee: () => (issue.assigneeId ? this.user(db.users.get(issue.assigneeId) as FakeUser) : null),
      parent: () => {
        const parent = issue.parentId ? db.issues.get(issue.parentId) : undefined;
        return parent ? this.issue(parent) : null;
      },
      ...this.#issueConnections(issue),
    };
  }

  #issueConnections(issue: FakeIssue): View {
    const { db } = this;
    return {
      labels: (args: Args) =>
        this.labels(
          issue.labelIds.map((id) => db.labels.get(id)).filter((l): l is FakeLabel => l !== undefined),
          args,
        ),
      children: (args: Args) =>
        this.issues(
          [...db.issues.values()].filter((i) => i.parentId === issue.id),
          args,
        ),
      relations: (args: Args) =>
        connection(
          [...db.relations.values()].filter((r) => r.issueId === issue.id),
          args,
          (r) => this.relation(r),
        ),
      inverseRelations: (args: Args) =>
        connection(
          [...db.relations.values()].filter((r) => r.relatedIssueId === issue.id),
          args,
          (r) => this.relation(r),
        ),
      history: (args: Args) =>
        connection(
          db.histories.filter((entry) => entry.issueId === issue.id),
          args,
          (entry) => this.history(entry),
        ),
      comments: (args: Args) =>
        connection(
          [...db.comments.values()].filter((c) => c.issueId === issue.id),
          args,
          (c) => this.comment(c),
        ),
    };
  }

  organization(): View {
    return {
      ...this.db.organization,
      teams: (args: Args) => this.teams(args),
      users: (args: Args) => this.users(args),
    };
  }
}
