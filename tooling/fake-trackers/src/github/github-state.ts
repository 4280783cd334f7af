/** In-memory state of the GitHub fake: users, orgs, repositories, issues (and PRs), comments, events. */

export interface FakeUserRecord {
  login: string;
  id: number;
  name: string | null;
  type: 'User' | 'Organization';
}

export interface FakeOrgRecord {
  login: string;
  id: number;
  description: string | null;
}

export interface FakeRepoRecord {
  id: number;
  owner: string;
  ownerType: 'User' | 'Organization';
  name: string;
  private: boolean;
  visibility: 'public' | 'private' | 'internal';
  defaultBranch: string;
  createdAt: string;
  /** Logins that may be assigned (GitHub rejects others with 422). */
  collaborators: Set<string>;
  labels: Map<string, FakeLabelRecord>;
  issues: Map<number, FakeIssueRecord>;
  /** Issues no longer here: deleted (GitHub answers 410) or transferred (301 to the new home). */
  gone: Map<number, FakeGoneRecord>;
  nextNumber: number;
}

/** What became of an issue that left its repository. */
export type FakeGoneRecord =
  | { kind: 'deleted' }
  | { kind: 'transferred'; owner: string; repo: string; number: number };

export interface FakeLabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeCommentRecord {
  id: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeIssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  author: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  comments: FakeCommentRecord[];
  pullRequest: boolean;
  locked: boolean;
  parent: number | null;
  children: number[];
  /** Numbers of the issues (same repository) that block this one (issue dependencies). */
  blockedBy: number[];
  /** Numbers of the issues (same repository) this one blocks: the reverse of `blockedBy`. */
  blocking: number[];
}

export interface FakeEventRecord {
  id: number;
  repoKey: string;
  issueNumber: number;
  event: string;
  actor: string;
  createdAt: string;
  label?: { name: string; color: string };
  assignee?: string;
  rename?: { from: string; to: string };
}

/** GitHub timestamps have second resolution: `2026-01-01T00:00:00Z`. */
export function githubTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

/** A deterministic clock: each write advances it by `tickMs` (0 = writes share a timestamp). */
export class FakeClock {
  #now: number;
  tickMs: number;

  constructor(start: Date, tickMs: number) {
    this.#now = start.getTime();
    this.tickMs = tickMs;
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Advances by one tick and returns the new time (called on every write). */
  tick(): Date {
    this.#now += this.tickMs;
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  set(date: Date): void {
    this.#now = date.getTime();
  }
}

export class GitHubFakeState {
  readonly users = new Map<string, FakeUserRecord>();
  readonly orgs = new Map<string, FakeOrgRecord>();
  /** Organisation logins (lower-case) the authenticated user belongs to. */
  readonly memberships = new Set<string>();
  readonly repos = new Map<string, FakeRepoRecord>();
  readonly events: FakeEventRecord[] = [];
  readonly clock: FakeClock;
  viewer: string;
  #nextId = 1_000_001;

  constructor(viewer: string, clock: FakeClock) {
    this.viewer = viewer;
    this.clock = clock;
  }

  nextId(): number {
    const id = this.#nextId;
    this.#nextId += 1;
    return id;
  }

  user(login: string): FakeUserRecord {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: this.nextId(), name: null, type: 'User' };
      this.users.set(key, user);
    }
    return user;
  }

  repo(owner: string, name: string): FakeRepoRecord | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  /** Finds an issue by its global id among the repositories of one owner (sub-issues stay within an owner). */
  issueById(owner: string, id: number): { repo: FakeRepoRecord; issue: FakeIssueRecord } | null {
    for (const repo of this.repos.values()) {
      if (repo.owner.toLowerCase() !== owner.toLowerCase()) continue;
      for (const issue of repo.issues.values()) if (issue.id === id) return { repo, issue };
    }
    return null;
  }

  recordEvent(
    repo: FakeRepoRecord,
    issue: FakeIssueRecord,
    event: Omit<FakeEventRecord, 'id' | 'repoKey' | 'issueNumber' | 'createdAt' | 'actor'>,
    at: string,
  ): void {
    this.events.push({
      id: this.nextId(),
      repoKey: repoKey(repo.owner, repo.name),
      issueNumber: issue.number,
      actor: this.viewer,
      createdAt: at,
      ...event,
    });
  }
}
