/** In-memory state of the GitLab fake: users, groups, projects, issues, notes and issue links. */
import { FakeWebhooks } from '../webhooks/fake-webhooks';
import {
  gitlabIssueBefore,
  gitlabIssueChanged,
  gitlabIssueOpened,
  gitlabWebhookFormat,
} from '../webhooks/gitlab-webhook-deliveries';

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  state: 'active' | 'blocked';
}

export interface GitLabGroup {
  id: number;
  name: string;
  path: string;
  full_path: string;
  full_name: string;
  parent_id: number | null;
  web_url: string;
  /** Access level of the fake's current user in this group (10 guest … 50 owner). */
  access_level: number;
}

export interface GitLabProject {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  name_with_namespace: string;
  namespace_id: number;
  web_url: string;
}

export interface GitLabIssue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  labels: string[];
  assignee_ids: number[];
  author_id: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Global id of the issue this one was moved to (GitLab closes the original on a move). */
  moved_to_id?: number | null;
}

export interface GitLabNote {
  id: number;
  body: string;
  author_id: number;
  created_at: string;
  updated_at: string;
  system: boolean;
}

export interface GitLabIssueLink {
  issue_link_id: number;
  source_project_id: number;
  source_iid: number;
  target_project_id: number;
  target_iid: number;
  link_type: 'relates_to' | 'blocks' | 'is_blocked_by';
  created_at: string;
}

export interface GitLabStateOptions {
  /** Start of the fake clock (default 2026-01-01T00:00:00Z). */
  startTime?: Date;
  /** Milliseconds the clock advances per write (default 1000). */
  tickMs?: number;
  /** Base of web URLs (default https://gitlab.example.test). */
  webBase?: string;
}

/** State + seed helpers. Every write advances a deterministic clock. */
export class GitLabState {
  readonly users = new Map<number, GitLabUser>();
  readonly groups = new Map<number, GitLabGroup>();
  readonly projects = new Map<number, GitLabProject>();
  /** Key: `${projectId}#${iid}`. */
  readonly issues = new Map<string, GitLabIssue>();
  readonly notes = new Map<string, GitLabNote[]>();
  readonly links: GitLabIssueLink[] = [];
  readonly webBase: string;
  /** Project webhooks: every issue change is delivered, signed, to each subscriber. */
  readonly webhooks: FakeWebhooks;
  /** The user the fake's token belongs to. */
  currentUserId = 1;
  #clock: number;
  readonly #tick: number;
  #nextId = 1000;

  constructor(options: GitLabStateOptions = {}) {
    this.#clock = (options.startTime ?? new Date('2026-01-01T00:00:00Z')).getTime();
    this.#tick = options.tickMs ?? 1000;
    this.webBase = options.webBase ?? 'https://gitlab.example.test';
    this.webhooks = new FakeWebhooks(gitlabWebhookFormat(this.webBase));
    this.addUser({ id: 1, username: 'root', name: 'Administrator' });
  }

  /** Advances the clock one tick and returns the new time as GitLab's ISO string (ms precision). */
  tick(): string {
    this.#clock += this.#tick;
    return new Date(this.#clock).toISOString();
  }

  now(): Date {
    return new Date(this.#clock);
  }

  /** Sets the clock (tests that need an issue updated "at" a given time). */
  setNow(date: Date): void {
    this.#clock = date.getTime();
  }

  nextId(): number {
    this.#nextId += 1;
    return this.#nextId;
  }

  addUser(init: { id?: number; username: string; name?: string }): GitLabUser {
    const user: GitLabUser = {
      id: init.id ?? this.nextId(),
      username: init.username,
      name: init.name ?? init.username,
      state: 'active',
    };
    this.users.set(user.id, user);
    return user;
  }

  addGroup(init: {
    id?: number;
    path: string;
    name?: string;
    parentId?: number;
    accessLevel?: number;
  }): GitLabGroup {
    const parent = init.parentId === undefined ? undefined : this.groups.get(init.parentId);
    const fullPath = parent ? `${parent.full_path}/${init.path}` : init.path;
    const name = init.name ?? init.path;
    const group: GitLabGroup = {
      id: init.id ?? this.nextId(),
      name,
      path: init.path,
      full_path: fullPath,
      full_name: parent ? `${parent.full_name} / ${name}` : name,
      parent_id: parent?.id ?? null,
      web_url: `${this.webBase}/groups/${fullPath}`,
      access_level: init.accessLevel ?? 30,
    };
    this.groups.set(group.id, group);
    return group;
  }

  addProject(init: { id?: number; path: string; name?: string; groupId?: number }): GitLabProject {
    const group = init.groupId === undefined ? undefined : this.groups.get(init.groupId);
    const namespacePath = group?.full_path ?? 'root';
    const name = init.name ?? init.path;
    const project: GitLabProject = {
      id: init.id ?? this.nextId(),
      name,
      path: init.path,
      path_with_namespace: `${namespacePath}/${init.path}`,
      name_with_namespace: group ? `${group.full_name} / ${name}` : `Administrator / ${name}`,
      namespace_id: group?.id ?? 1,
      web_url: `${this.webBase}/${namespacePath}/${init.path}`,
    };
    this.projects.set(project.id, project);
    return project;
  }

  /** Resolves `:id` of `/projects/:id` — a numeric id or a (decoded) `namespace/path`. */
  findProject(idOrPath: string): GitLabProject | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    for (const project of this.projects.values())
      if (project.path_with_namespace === idOrPath) return project;
    return undefined;
  }

  projectIssues(projectId: number): GitLabIssue[] {
    return [...this.issues.values()].filter((issue) => issue.project_id === projectId);
  }

  getIssue(projectId: number, iid: number): GitLabIssue | undefined {
    return this.issues.get(`${projectId}#${iid}`);
  }

  /** Seeds an issue directly (no API call). Timestamps default to the clock (which ticks). */
  addIssue(
    projectId: number,
    init: Partial<Omit<GitLabIssue, 'id' | 'iid' | 'project_id'>> & { title: string; iid?: number },
  ): GitLabIssue {
    const iid =
      init.iid ?? this.projectIssues(projectId).reduce((max, issue) => Math.max(max, issue.iid), 0) + 1;
    const stamp = init.created_at ?? this.tick();
    const issue: GitLabIssue = {
      id: this.nextId(),
      iid,
      project_id: projectId,
      title: init.title,
      description: init.description ?? null,
      state: init.state ?? 'opened',
      labels: init.labels ?? [],
      assignee_ids: init.assignee_ids ?? [],
      author_id: init.author_id ?? this.currentUserId,
      created_at: stamp,
      updated_at: init.updated_at ?? stamp,
      closed_at: init.closed_at ?? null,
    };
    this.issues.set(`${projectId}#${iid}`, issue);
    gitlabIssueOpened(this.webhooks, this, issue);
    return issue;
  }

  /** Seeds `count` issues quickly (for pagination and totals tests). */
  addManyIssues(projectId: number, count: number, titlePrefix = 'Issue'): void {
    const start = this.projectIssues(projectId).reduce((max, issue) => Math.max(max, issue.iid), 0);
    for (let index = 1; index <= count; index += 1) {
      const stamp = this.tick();
      const iid = start + index;
      this.issues.set(`${projectId}#${iid}`, {
        id: this.nextId(),
        iid,
        project_id: projectId,
        title: `${titlePrefix} ${iid}`,
        description: null,
        state: 'opened',
        labels: [],
        assignee_ids: [],
        author_id: this.currentUserId,
        created_at: stamp,
        updated_at: stamp,
        closed_at: null,
      });
    }
  }

  /** Out-of-band delete (GitLab deletes issues outright: every endpoint then answers 404). */
  deleteIssue(projectId: number, iid: number): void {
    if (!this.issues.delete(`${projectId}#${iid}`)) throw new Error(`no issue ${projectId}#${iid}`);
    this.notes.delete(`${projectId}#${iid}`);
  }

  /**
   * Out-of-band move to another project, as GitLab does it: a copy gets the next iid there, and
   * the original stays, closed, with `moved_to_id` set to the copy's global id.
   */
  moveIssue(projectId: number, iid: number, toProjectId: number): GitLabIssue {
    const issue = this.getIssue(projectId, iid);
    if (!issue) throw new Error(`no issue ${projectId}#${iid}`);
    if (!this.projects.has(toProjectId)) throw new Error(`no project ${toProjectId}`);
    const copy = this.addIssue(toProjectId, {
      title: issue.title,
      description: issue.description,
      labels: [...issue.labels],
      assignee_ids: [...issue.assignee_ids],
      author_id: issue.author_id,
    });
    const at = this.tick();
    const before = gitlabIssueBefore(issue);
    Object.assign(issue, { state: 'closed', closed_at: at, updated_at: at, moved_to_id: copy.id });
    gitlabIssueChanged(this.webhooks, this, issue, before);
    return copy;
  }

  /** Out-of-band edit (as if another user changed the issue in the UI); bumps updated_at. */
  touchIssue(
    projectId: number,
    iid: number,
    changes: Partial<Pick<GitLabIssue, 'title' | 'description' | 'labels' | 'state'>> = {},
  ): GitLabIssue {
    const issue = this.getIssue(projectId, iid);
    if (!issue) throw new Error(`no issue ${projectId}#${iid}`);
    const before = gitlabIssueBefore(issue);
    Object.assign(issue, changes, { updated_at: this.tick() });
    gitlabIssueChanged(this.webhooks, this, issue, before);
    return issue;
  }
}
