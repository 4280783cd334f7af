/** In-memory state of the Azure DevOps fake: projects, work items (fields + relations + revs), comments. */

import {
  azureWebhookFormat,
  azureWorkItemBefore,
  azureWorkItemDeleted,
  azureWorkItemSaved,
  azureWorkItemSeeded,
} from '../webhooks/azure-webhook-deliveries';
import { FakeWebhooks } from '../webhooks/fake-webhooks';

export interface AzureProject {
  id: string;
  name: string;
  description: string;
  state: 'wellFormed';
  visibility: 'private' | 'public';
  revision: number;
  lastUpdateTime: string;
}

export interface AzureRelation {
  rel: string;
  url: string;
  attributes: Record<string, unknown>;
}

export interface AzureWorkItem {
  id: number;
  rev: number;
  project: string;
  fields: Record<string, unknown>;
  relations: AzureRelation[];
}

/** A user of the organization, as identity fields (`System.AssignedTo`, …) hold it. */
export interface AzureIdentity {
  displayName: string;
  uniqueName: string;
  id: string;
}

export interface AzureComment {
  id: number;
  workItemId: number;
  text: string;
  createdDate: string;
}

/** Allowed states per work item type (Agile process by default); the first is the initial state. */
export const AGILE_STATES: Record<string, string[]> = {
  Epic: ['New', 'Active', 'Resolved', 'Closed', 'Removed'],
  Feature: ['New', 'Active', 'Resolved', 'Closed', 'Removed'],
  'User Story': ['New', 'Active', 'Resolved', 'Closed', 'Removed'],
  Task: ['New', 'Active', 'Closed', 'Removed'],
  Bug: ['New', 'Active', 'Resolved', 'Closed'],
  Issue: ['Active', 'Closed'],
};

export interface AzureStateOptions {
  organization?: string;
  startTime?: Date;
  tickMs?: number;
  /** Override the process: type → allowed states (first = initial). */
  workItemStates?: Record<string, string[]>;
}

export class AzureState {
  readonly organization: string;
  readonly projects = new Map<string, AzureProject>();
  readonly workItems = new Map<number, AzureWorkItem>();
  /** Deleted work items (the project's recycle bin), by id; restorable until destroyed. */
  readonly recycleBin = new Map<number, { item: AzureWorkItem; deletedDate: string; deletedBy: string }>();
  readonly comments = new Map<number, AzureComment[]>();
  readonly states: Record<string, string[]>;
  /** Service hook subscriptions: every work item change is delivered to each subscriber. */
  readonly webhooks = new FakeWebhooks(azureWebhookFormat);
  /** The server URL payloads name in work item URLs (the fake sets its own). */
  webhookBaseUrl: (() => string) | null = null;
  readonly currentUser = {
    displayName: 'Fake User',
    uniqueName: 'fake.user@example.test',
    id: '00000000-0000-0000-0000-000000000001',
  };
  /** Users identity fields may name (the current user first); `addIdentity` adds more. */
  readonly identities: AzureIdentity[] = [this.currentUser];
  #clock: number;
  readonly #tick: number;
  #nextWorkItemId = 1;
  #nextCommentId = 1;

  constructor(options: AzureStateOptions = {}) {
    this.organization = options.organization ?? 'fabrikam';
    this.#clock = (options.startTime ?? new Date('2026-01-01T00:00:00Z')).getTime();
    this.#tick = options.tickMs ?? 1000;
    this.states = options.workItemStates ?? AGILE_STATES;
  }

  /** Adds a user of the organization that `System.AssignedTo` may name; returns it. */
  addIdentity(displayName: string, uniqueName: string): AzureIdentity {
    const identity = {
      displayName,
      uniqueName,
      id: `00000000-0000-0000-0000-${String(this.identities.length + 1).padStart(12, '0')}`,
    };
    this.identities.push(identity);
    return identity;
  }

  /**
   * The identity a written value names, as the service resolves it: a unique name (sign-in
   * email / UPN, case-insensitive), `Display Name <unique name>`, a display name that only one
   * user has, or an IdentityRef object with `id` or `uniqueName`. Null when none (or several) match.
   */
  resolveIdentity(value: unknown): AzureIdentity | null {
    const lower = (text: unknown) => (typeof text === 'string' ? text.trim().toLowerCase() : '');
    if (value && typeof value === 'object') {
      const ref = value as { id?: unknown; uniqueName?: unknown };
      return (
        this.identities.find(
          (identity) =>
            (typeof ref.id === 'string' && identity.id === ref.id) ||
            (lower(ref.uniqueName) !== '' && lower(identity.uniqueName) === lower(ref.uniqueName)),
        ) ?? null
      );
    }
    if (typeof value !== 'string') return null;
    const distinct = /<([^<>]+)>\s*$/.exec(value);
    const wanted = lower(distinct ? distinct[1] : value);
    const byUnique = this.identities.find((identity) => lower(identity.uniqueName) === wanted);
    if (byUnique) return byUnique;
    if (distinct) return null;
    const byName = this.identities.filter((identity) => lower(identity.displayName) === wanted);
    return byName.length === 1 ? (byName[0] ?? null) : null;
  }

  tick(): string {
    this.#clock += this.#tick;
    return new Date(this.#clock).toISOString();
  }

  now(): Date {
    return new Date(this.#clock);
  }

  setNow(date: Date): void {
    this.#clock = date.getTime();
  }

  addProject(name: string, init: Partial<Omit<AzureProject, 'name'>> = {}): AzureProject {
    const index = this.projects.size + 1;
    const project: AzureProject = {
      id: init.id ?? `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      name,
      description: init.description ?? '',
      state: 'wellFormed',
      visibility: init.visibility ?? 'private',
      revision: init.revision ?? 1,
      lastUpdateTime: init.lastUpdateTime ?? this.now().toISOString(),
    };
    this.projects.set(project.id, project);
    return project;
  }

  /** Finds a project by id or (case-insensitive) name. */
  findProject(idOrName: string): AzureProject | undefined {
    const wanted = idOrName.toLowerCase();
    for (const project of this.projects.values())
      if (project.id === idOrName || project.name.toLowerCase() === wanted) return project;
    return undefined;
  }

  nextCommentId(): number {
    return this.#nextCommentId++;
  }

  /** Seeds a work item directly (no API call). */
  addWorkItem(
    projectName: string,
    type: string,
    fields: Record<string, unknown> & { 'System.Title': string },
    stamp?: string,
  ): AzureWorkItem {
    const project = this.findProject(projectName);
    if (!project) throw new Error(`no project ${projectName}`);
    const at = stamp ?? this.tick();
    const id = this.#nextWorkItemId++;
    const item: AzureWorkItem = {
      id,
      rev: 1,
      project: project.name,
      relations: [],
      fields: {
        'System.AreaPath': project.name,
        'System.TeamProject': project.name,
        'System.IterationPath': project.name,
        'System.WorkItemType': type,
        'System.State': this.states[type]?.[0] ?? 'New',
        'System.Reason': 'New',
        'System.CreatedDate': at,
        'System.CreatedBy': { ...this.currentUser },
        'System.ChangedDate': at,
        'System.ChangedBy': { ...this.currentUser },
        'System.CommentCount': 0,
        'Microsoft.VSTS.Common.Priority': 2,
        ...fields,
      },
    };
    this.workItems.set(id, item);
    azureWorkItemSeeded(this.webhooks, this, item);
    return item;
  }

  /** Seeds many items (pagination and 20k-cap tests) without ticking per item: `stampOf(index)`. */
  addManyWorkItems(
    projectName: string,
    count: number,
    stampOf: (index: number) => string = () => this.tick(),
  ): void {
    for (let index = 0; index < count; index += 1) {
      this.addWorkItem(projectName, 'Task', { 'System.Title': `Item ${index + 1}` }, stampOf(index));
    }
  }

  /**
   * Out-of-band delete (another user): the item leaves the project and every read (`GET` answers
   * 404, `workitemsbatch` with `errorPolicy: omit` answers null) and waits in the recycle bin;
   * `destroy` deletes it for good, as emptying the bin does.
   */
  deleteWorkItem(id: number, options: { destroy?: boolean } = {}): void {
    const item = this.workItems.get(id);
    if (!item) throw new Error(`no work item ${id}`);
    this.workItems.delete(id);
    azureWorkItemDeleted(this.webhooks, this, item);
    if (!options.destroy)
      this.recycleBin.set(id, { item, deletedDate: this.tick(), deletedBy: this.currentUser.displayName });
  }

  /** Destroys a work item in the recycle bin (permanent delete). */
  destroyWorkItem(id: number): void {
    if (!this.recycleBin.delete(id)) throw new Error(`no work item ${id} in the recycle bin`);
  }

  /** Out-of-band "Move to team project": same id, the other project's paths, a new revision. */
  moveWorkItem(id: number, toProject: string): AzureWorkItem {
    const item = this.workItems.get(id);
    if (!item) throw new Error(`no work item ${id}`);
    const project = this.findProject(toProject);
    if (!project) throw new Error(`no project ${toProject}`);
    item.project = project.name;
    return this.touchWorkItem(id, {
      'System.TeamProject': project.name,
      'System.AreaPath': project.name,
      'System.IterationPath': project.name,
    });
  }

  /** Out-of-band edit (another user): sets fields, bumps rev and ChangedDate. */
  touchWorkItem(id: number, fields: Record<string, unknown> = {}): AzureWorkItem {
    const item = this.workItems.get(id);
    if (!item) throw new Error(`no work item ${id}`);
    const before = azureWorkItemBefore(item);
    Object.assign(item.fields, fields);
    item.rev += 1;
    item.fields['System.ChangedDate'] = this.tick();
    azureWorkItemSaved(this.webhooks, this, item, before);
    return item;
  }
}
