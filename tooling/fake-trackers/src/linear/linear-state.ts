import { randomUUID } from 'node:crypto';
import { FakeWebhooks } from '../webhooks/fake-webhooks';
import {
  linearIssueBefore,
  linearIssueCreated,
  linearIssueRemoved,
  linearIssueUpdated,
  linearWebhookFormat,
} from '../webhooks/linear-webhook-deliveries';

export type WorkflowStateType = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';

export interface FakeOrganization {
  id: string;
  name: string;
  urlKey: string;
}
export interface FakeTeam {
  id: string;
  key: string;
  name: string;
}
export interface FakeWorkflowState {
  id: string;
  teamId: string;
  name: string;
  type: WorkflowStateType;
  position: number;
  color: string;
}
export interface FakeUser {
  id: string;
  name: string;
  displayName: string;
  email: string;
}
export interface FakeLabel {
  id: string;
  name: string;
  /** null = workspace label, usable by every team. */
  teamId: string | null;
  color: string;
  createdAt: Date;
  updatedAt: Date;
}
export interface FakeIssue {
  id: string;
  teamId: string;
  number: number;
  title: string;
  description: string | null;
  /** Linear priority: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
  priority: number;
  stateId: string;
  assigneeId: string | null;
  parentId: string | null;
  labelIds: string[];
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  /** In the trash bin (`issueDelete` without `permanentlyDelete`): archived and trashed. */
  trashed: boolean;
}
/** One `IssueHistory` entry: what a change did (the fake records label changes; other fields only as a change). */
export interface FakeIssueHistory {
  id: string;
  issueId: string;
  addedLabelIds: string[];
  removedLabelIds: string[];
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}
export interface FakeRelation {
  id: string;
  issueId: string;
  relatedIssueId: string;
  type: 'blocks' | 'duplicate' | 'related' | 'similar';
  createdAt: Date;
  updatedAt: Date;
}
export interface FakeComment {
  id: string;
  issueId: string;
  body: string;
  userId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LinearFakeStateOptions {
  /** Clock; timestamps are made strictly increasing (1 ms apart at least) so orderings are total. */
  now?: () => Date;
  /** Seed the default organization, team "ENG" with Linear's default workflow and one user (default true). */
  seedDefaults?: boolean;
}

const DEFAULT_STATES: { name: string; type: WorkflowStateType; id?: string; color?: string }[] = [
  { name: 'Backlog', type: 'backlog', color: '#bec2c8' },
  { name: 'Todo', type: 'unstarted', color: '#e2e2e2' },
  { name: 'In Progress', type: 'started', color: '#f2c94c' },
  { name: 'In Review', type: 'started', color: '#0f783c' },
  { name: 'Done', type: 'completed', color: '#5e6ad2' },
  { name: 'Canceled', type: 'canceled', color: '#95a2b3' },
  { name: 'Duplicate', type: 'canceled', color: '#95a2b3' },
];

/** The data behind the Linear fake: plain maps, mutated by resolvers and by test helpers. */
export class LinearFakeState {
  organization: FakeOrganization = { id: randomUUID(), name: 'Acme', urlKey: 'acme' };
  readonly teams = new Map<string, FakeTeam>();
  readonly states = new Map<string, FakeWorkflowState>();
  readonly users = new Map<string, FakeUser>();
  readonly labels = new Map<string, FakeLabel>();
  readonly issues = new Map<string, FakeIssue>();
  readonly relations = new Map<string, FakeRelation>();
  readonly comments = new Map<string, FakeComment>();
  /** `IssueHistory` entries, one per change (`touchIssue`), oldest first. */
  readonly histories: FakeIssueHistory[] = [];
  /** The authenticated user (`viewer`). */
  viewerId: string | null = null;
  /** Webhooks (`subscribe({ url, secret, scope: teamId })`): every issue change is delivered, signed. */
  readonly webhooks = new FakeWebhooks(linearWebhookFormat);
  lastSyncId = 1000;
  readonly #clock: () => Date;
  #lastTick = 0;
  readonly #numbers = new Map<string, number>();

  constructor(options: LinearFakeStateOptions = {}) {
    this.#clock = options.now ?? (() => new Date());
    if (options.seedDefaults ?? true) {
      const user = this.addUser({ name: 'Ada Lovelace', email: 'ada@example.com' });
      this.viewerId = user.id;
      this.addTeam({ key: 'ENG', name: 'Engineering' });
    }
  }

  /** A strictly increasing timestamp (Linear orders by it; ties would make pagination ambiguous). */
  tick(): Date {
    const ms = Math.max(this.#clock().getTime(), this.#lastTick + 1);
    this.#lastTick = ms;
    this.lastSyncId += 1;
    return new Date(ms);
  }

  addUser(init: { name: string; email: string; id?: string; displayName?: string }): FakeUser {
    const user: FakeUser = {
      id: init.id ?? randomUUID(),
      name: init.name,
      email: init.email,
      displayName: init.displayName ?? init.name.split(' ')[0]?.toLowerCase() ?? init.name,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Adds a team with Linear's default workflow (Backlog … Duplicate) unless `states` is given. */
  addTeam(init: {
    key: string;
    name: string;
    id?: string;
    states?: { name: string; type: WorkflowStateType; id?: string; color?: string }[];
  }): FakeTeam {
    const team: FakeTeam = { id: init.id ?? randomUUID(), key: init.key, name: init.name };
    this.teams.set(team.id, team);
    const states = init.states ?? DEFAULT_STATES;
    states.forEach((state, position) => {
      const id = state.id ?? randomUUID();
      this.states.set(id, {
        id,
        teamId: team.id,
        name: state.name,
        type: state.type,
        position,
        color: state.color ?? '#cccccc',
      });
    });
    return team;
  }

  addLabel(init: { name: string; teamId?: string | null; id?: string; color?: string }): FakeLabel {
    const at = this.tick();
    const label: FakeLabel = {
      id: init.id ?? randomUUID(),
      name: init.name,
      teamId: init.teamId ?? null,
      color: init.color ?? '#888888',
      createdAt: at,
      updatedAt: at,
    };
    this.labels.set(label.id, label);
    return label;
  }

  /** Inserts an issue directly (as if created in Linear's UI). */
  addIssue(init: {
    teamId: string;
    title: string;
    description?: string | null;
    priority?: number;
    stateId?: string;
    assigneeId?: string | null;
    parentId?: string | null;
    labelIds?: string[];
    id?: string;
  }): FakeIssue {
    const at = this.tick();
    const number = (this.#numbers.get(init.teamId) ?? 0) + 1;
    this.#numbers.set(init.teamId, number);
    const issue: FakeIssue = {
      id: init.id ?? randomUUID(),
      teamId: init.teamId,
      number,
      title: init.title,
      description: init.description ?? null,
      priority: init.priority ?? 0,
      stateId: init.stateId ?? this.defaultStateId(init.teamId),
      assigneeId: init.assigneeId ?? null,
      parentId: init.parentId ?? null,
      labelIds: [...(init.labelIds ?? [])],
      createdAt: at,
      updatedAt: at,
      archivedAt: null,
      trashed: false,
    };
    this.issues.set(issue.id, issue);
    linearIssueCreated(this.webhooks, this, issue);
    return issue;
  }

  /**
   * Archives an issue as `issueArchive` does (`trash: true` as `issueDelete` does: archived and
   * in the trash bin). Both stamp `archivedAt` and move `updatedAt`; listings then show the issue
   * only with `includeArchived: true`.
   */
  archiveIssue(id: string, options: { trash?: boolean } = {}): FakeIssue {
    const issue = this.issues.get(id);
    if (!issue) throw new Error(`no issue ${id} in the Linear fake`);
    const at = this.tick();
    Object.assign(issue, { archivedAt: at, updatedAt: at, trashed: options.trash === true });
    linearIssueRemoved(this.webhooks, this, issue);
    return issue;
  }

  /** `issueDelete(permanentlyDelete: true)`, or a trashed issue purged after its 30 days: gone for good. */
  purgeIssue(id: string): void {
    const issue = this.issues.get(id);
    if (!this.issues.delete(id)) throw new Error(`no issue ${id} in the Linear fake`);
    if (issue && issue.archivedAt === null) linearIssueRemoved(this.webhooks, this, issue);
    for (const [relationId, relation] of this.relations)
      if (relation.issueId === id || relation.relatedIssueId === id) this.relations.delete(relationId);
  }

  /** Moves an issue to another team, as Linear does: same id, the next number (identifier) there. */
  moveIssue(id: string, toTeamId: string): FakeIssue {
    const issue = this.issues.get(id);
    if (!issue) throw new Error(`no issue ${id} in the Linear fake`);
    if (!this.teams.has(toTeamId)) throw new Error(`no team ${toTeamId} in the Linear fake`);
    const number = (this.#numbers.get(toTeamId) ?? 0) + 1;
    this.#numbers.set(toTeamId, number);
    const before = linearIssueBefore(issue);
    Object.assign(issue, {
      teamId: toTeamId,
      number,
      stateId: this.defaultStateId(toTeamId),
      updatedAt: this.tick(),
    });
    linearIssueUpdated(this.webhooks, this, issue, before);
    return issue;
  }

  /**
   * Applies a change as another Linear user would and records an `IssueHistory` entry. As in
   * Linear, `updatedAt` moves for every field except labels: a change of `labelIds` alone leaves
   * it where it was (the history entry, with `addedLabelIds` / `removedLabelIds`, is the trace).
   */
  touchIssue(
    id: string,
    change: Partial<Omit<FakeIssue, 'id' | 'teamId' | 'number' | 'createdAt'>> = {},
  ): FakeIssue {
    const issue = this.issues.get(id);
    if (!issue) throw new Error(`no issue ${id} in the Linear fake`);
    const at = this.tick();
    const before = new Set(issue.labelIds);
    const after = new Set(change.labelIds ?? issue.labelIds);
    const labelOnly = Object.keys(change).every((key) => key === 'labelIds');
    const previous = linearIssueBefore(issue);
    Object.assign(issue, change);
    if (!labelOnly || Object.keys(change).length === 0) issue.updatedAt = at;
    this.histories.push({
      id: randomUUID(),
      issueId: id,
      addedLabelIds: [...after].filter((label) => !before.has(label)),
      removedLabelIds: [...before].filter((label) => !after.has(label)),
      createdAt: at,
      updatedAt: at,
      archivedAt: null,
    });
    linearIssueUpdated(this.webhooks, this, issue, previous);
    return issue;
  }

  /**
   * Relates two issues (`issue <type> relatedIssue`, as `issueRelationCreate`). Linear records a
   * relation change in both issues' history (`IssueHistory.relationChanges`); the fake records a
   * history entry on both and, as for labels, leaves `updatedAt` alone, so only the `activity`
   * filter sees a relation-only change.
   */
  addRelation(
    issueId: string,
    relatedIssueId: string,
    type: FakeRelation['type'],
    id?: string,
  ): FakeRelation {
    const at = this.tick();
    const relation: FakeRelation = {
      id: id ?? randomUUID(),
      issueId,
      relatedIssueId,
      type,
      createdAt: at,
      updatedAt: at,
    };
    this.relations.set(relation.id, relation);
    for (const end of [issueId, relatedIssueId]) {
      this.histories.push({
        id: randomUUID(),
        issueId: end,
        addedLabelIds: [],
        removedLabelIds: [],
        createdAt: at,
        updatedAt: at,
        archivedAt: null,
      });
    }
    return relation;
  }

  /** Linear puts new issues in the team's first "unstarted" state (else the first backlog state). */
  defaultStateId(teamId: string): string {
    const states = this.teamStates(teamId);
    const preferred =
      states.find((s) => s.type === 'unstarted') ?? states.find((s) => s.type === 'backlog') ?? states[0];
    if (!preferred) throw new Error(`team ${teamId} has no workflow states`);
    return preferred.id;
  }

  teamStates(teamId: string): FakeWorkflowState[] {
    return [...this.states.values()]
      .filter((s) => s.teamId === teamId)
      .sort((a, b) => a.position - b.position);
  }

  stateByName(teamId: string, name: string): FakeWorkflowState {
    const state = this.teamStates(teamId).find((s) => s.name === name);
    if (!state) throw new Error(`team ${teamId} has no workflow state named ${name}`);
    return state;
  }

  get defaultTeam(): FakeTeam {
    const team = this.teams.values().next().value;
    if (!team) throw new Error('the Linear fake has no team');
    return team;
  }

  identifier(issue: FakeIssue): string {
    return `${this.teams.get(issue.teamId)?.key ?? 'UNK'}-${issue.number}`;
  }

  /** Looks an issue up by UUID or by human identifier (`ENG-12`), as Linear's `issue(id:)` does. */
  findIssue(idOrIdentifier: string): FakeIssue | null {
    const direct = this.issues.get(idOrIdentifier);
    if (direct) return direct;
    const match = /^([A-Za-z0-9]+)-(\d+)$/.exec(idOrIdentifier);
    if (!match) return null;
    const key = match[1]?.toUpperCase();
    const number = Number(match[2]);
    for (const issue of this.issues.values()) {
      if (issue.number === number && this.teams.get(issue.teamId)?.key.toUpperCase() === key) return issue;
    }
    return null;
  }

  newId(): string {
    return randomUUID();
  }
}
