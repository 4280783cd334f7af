import { ModelValidationError } from '../errors/errors';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import { type CanonicalIssue, cloneIssue, issueContentEqual } from '../model/issue';
import { createCheckpoint, type SyncCheckpoint } from '../model/page';
import { createTombstone } from '../model/tombstone';
import { compareCodePoints, sortByCodePoints } from '../util/python-text';
import type { ImmediateStoreAccess } from './immediate-store-access';
import type {
  CheckpointStore,
  IssueStore,
  SyncBaseStore,
  TombstoneQuery,
  TombstoneRecord,
  TombstoneStore,
  UnsyncedIssue,
  UnsyncedIssueStore,
} from './issue-store';

/**
 * What the store holds under one identity, unless the issue is synced by identity (its base is
 * the very same object): then the map holds the issue itself. A pull stores 100,000 issues that
 * way without one more object each, which young-generation collections would copy twice.
 */
class Entry {
  readonly key: string;
  issue: CanonicalIssue | undefined;
  base: CanonicalIssue | undefined;
  /** The issue's content differs from its base (or it has none). */
  unsynced = false;
  /** Whether the entry is in the store's unsynced set (which may hold entries synced since). */
  listed = false;

  constructor(key: string, issue: CanonicalIssue | undefined, base: CanonicalIssue | undefined) {
    this.key = key;
    this.issue = issue;
    this.base = base;
  }
}

/** A map value: an entry, or an issue that is its own sync base. */
type Slot = Entry | CanonicalIssue;

const entryKey = (entry: Entry): string => entry.key;
const identity = (key: string): string => key;

/** Set by the class's static block: reaches its private immediate access from this module. */
let immediateAccessOfStore: (store: InMemoryIssueStore) => ImmediateStoreAccess | null;

/**
 * The store's synchronous reads and writes when it is an `InMemoryIssueStore` whose promise
 * methods are its own; null for any other store, or a subclass that overrides one of them (its
 * overrides are then called as before).
 */
export function immediateAccessOf(store: unknown): ImmediateStoreAccess | null {
  return store instanceof InMemoryIssueStore ? immediateAccessOfStore(store) : null;
}

/**
 * What the hot methods return: the store works synchronously, and a plain method returning a
 * settled promise costs less than an async function per call (a pull makes four per issue).
 */
const DONE: Promise<void> = Promise.resolve();

/**
 * Map-backed store, sorted by identity, with sync bases, checkpoints and tombstones. Issues are immutable, so
 * it keeps and returns them by reference (an issue not built by `createIssue` is validated into
 * one on the way in); a sync base recorded from the stored issue is the same object.
 */
export class InMemoryIssueStore
  implements IssueStore, SyncBaseStore, CheckpointStore, UnsyncedIssueStore, TombstoneStore
{
  // One map entry per identity holds the issue and its base, so a write and its base cost one
  // hash look-up each rather than one per map.
  readonly #entries = new Map<string, Slot>();
  readonly #tombstones = new Map<string, TombstoneRecord>();
  readonly #checkpoints = new Map<string, SyncCheckpoint>();
  /** Identities holding an issue, sorted; rebuilt after an identity comes or goes. */
  #sorted: string[] | null = null;
  /**
   * Entries that became unsynced (a superset: one synced since is dropped when listed). A new
   * issue goes to `#fresh` first: a pull records its base right after storing it, and a plain
   * array push then spares two set operations per pulled issue.
   */
  readonly #unsynced = new Set<Entry>();
  #fresh: Entry[] = [];
  /** Stored issues per system, kept current on every write, so listing the unsynced scans nothing. */
  readonly #countBySystem = new Map<string, number>();
  /**
   * The last identity looked up and its slot (undefined: none): the engine reads an issue, then
   * writes it and its base, so most look-ups repeat the one before.
   */
  #lastKey: string | null = null;
  #lastSlot: Slot | undefined = undefined;
  #immediate: ImmediateStoreAccess | null = null;

  static {
    immediateAccessOfStore = (store) => store.#immediateAccess();
  }

  #immediateAccess(): ImmediateStoreAccess | null {
    const own = InMemoryIssueStore.prototype;
    if (
      this.getIssue !== own.getIssue ||
      this.upsertIssue !== own.upsertIssue ||
      this.getSyncBase !== own.getSyncBase ||
      this.putSyncBase !== own.putSyncBase
    ) {
      return null;
    }
    this.#immediate ??= {
      getIssue: (ref) => this.#issueOf(ref),
      upsertIssue: (issue) => this.#upsert(issue),
      getSyncBase: (ref) => this.#baseOf(ref),
      putSyncBase: (issue) => this.#putBase(issue),
      putSynced: (issue) => this.#putSynced(issue),
    };
    return this.#immediate;
  }

  #slot(key: string): Slot | undefined {
    if (key === this.#lastKey) return this.#lastSlot;
    const slot = this.#entries.get(key);
    this.#lastKey = key;
    this.#lastSlot = slot;
    return slot;
  }

  #setSlot(key: string, slot: Slot): void {
    this.#entries.set(key, slot);
    this.#lastKey = key;
    this.#lastSlot = slot;
  }

  #deleteSlot(key: string): void {
    this.#entries.delete(key);
    if (key === this.#lastKey) this.#lastSlot = undefined;
  }

  /** The entry under `key`, made from a synced issue if the map holds one (it then stays an entry). */
  #entry(key: string): Entry | undefined {
    const slot = this.#slot(key);
    if (slot === undefined || slot instanceof Entry) return slot;
    const entry = new Entry(key, slot, slot);
    this.#setSlot(key, entry);
    return entry;
  }

  #issueOf(ref: ExternalRef): CanonicalIssue | null {
    const slot = this.#slot(refIdentity(ref));
    if (slot instanceof Entry) return slot.issue ?? null;
    return slot ?? null;
  }

  #baseOf(ref: ExternalRef): CanonicalIssue | null {
    const slot = this.#slot(refIdentity(ref));
    if (slot instanceof Entry) return slot.base ?? null;
    return slot ?? null;
  }

  async listIssues(query?: { system?: string | null }): Promise<CanonicalIssue[]> {
    const system = query?.system ?? null;
    const result: CanonicalIssue[] = [];
    for (const key of this.#sortedKeys()) {
      const slot = this.#entries.get(key);
      const issue = slot instanceof Entry ? slot.issue : slot;
      if (issue !== undefined && (system === null || issue.ref.system === system)) result.push(issue);
    }
    return result;
  }

  #sortedKeys(): string[] {
    if (this.#sorted === null) {
      const sorted: string[] = [];
      for (const [key, slot] of this.#entries) {
        if (!(slot instanceof Entry) || slot.issue !== undefined) sorted.push(key);
      }
      this.#sorted = sortByCodePoints(sorted, identity);
    }
    return this.#sorted;
  }

  /** The stored issue, or null. */
  getIssue(ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return Promise.resolve(this.#issueOf(ref));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Inserts or replaces the issue. */
  upsertIssue(issue: CanonicalIssue): Promise<void> {
    try {
      this.#upsert(issue);
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #upsert(issue: CanonicalIssue): void {
    const stored = cloneIssue(issue);
    const key = refIdentity(stored.ref);
    const slot = this.#slot(key);
    if (slot === undefined) {
      const entry = new Entry(key, stored, undefined);
      entry.unsynced = true;
      this.#setSlot(key, entry);
      this.#fresh.push(entry);
      this.#arrived(stored);
      return;
    }
    // The same issue written again: nothing changes (a synced issue stays one object).
    if (slot === stored) return;
    const entry = this.#entry(key) as Entry;
    const previous = entry.issue;
    entry.issue = stored;
    this.#replaced(previous, stored);
    this.#track(entry);
  }

  /** Stores `issue` as both the local copy and its sync base (what a pull of a new issue does). */
  #putSynced(issue: CanonicalIssue): void {
    const stored = cloneIssue(issue);
    const key = refIdentity(stored.ref);
    const slot = this.#slot(key);
    if (slot === undefined) {
      this.#setSlot(key, stored);
      this.#arrived(stored);
      return;
    }
    if (slot instanceof Entry) {
      const previous = slot.issue;
      slot.issue = stored;
      slot.base = stored;
      this.#replaced(previous, stored);
      this.#track(slot);
      return;
    }
    this.#setSlot(key, stored);
    this.#replaced(slot, stored);
  }

  /** Bookkeeping for an issue under a new identity. */
  #arrived(stored: CanonicalIssue): void {
    this.#sorted = null;
    this.#countIn(stored.ref.system, 1);
  }

  /** Bookkeeping for an identity's issue replaced (`previous` undefined: it had none). */
  #replaced(previous: CanonicalIssue | undefined, stored: CanonicalIssue): void {
    if (previous === undefined) this.#sorted = null;
    if (previous?.ref.system !== stored.ref.system) {
      if (previous !== undefined) this.#countIn(previous.ref.system, -1);
      this.#countIn(stored.ref.system, 1);
    }
  }

  #countIn(system: string, delta: number): void {
    const count = (this.#countBySystem.get(system) ?? 0) + delta;
    if (count === 0) this.#countBySystem.delete(system);
    else this.#countBySystem.set(system, count);
  }

  #track(entry: Entry): void {
    const { issue, base } = entry;
    entry.unsynced = issue !== undefined && (base === undefined || !issueContentEqual(issue, base));
    if (entry.unsynced && !entry.listed) {
      entry.listed = true;
      this.#unsynced.add(entry);
    }
  }

  async deleteIssue(ref: ExternalRef): Promise<void> {
    const entry = this.#entry(refIdentity(ref));
    if (entry?.issue === undefined) return;
    this.#countIn(entry.issue.ref.system, -1);
    entry.issue = undefined;
    entry.unsynced = false;
    this.#sorted = null;
    if (entry.base === undefined) this.#deleteSlot(entry.key);
  }

  /** The issue's sync base, or null. */
  getSyncBase(ref: ExternalRef): Promise<CanonicalIssue | null> {
    try {
      return Promise.resolve(this.#baseOf(ref));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Records the sync base. */
  putSyncBase(issue: CanonicalIssue): Promise<void> {
    try {
      this.#putBase(issue);
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #putBase(issue: CanonicalIssue): void {
    const base = cloneIssue(issue);
    const key = refIdentity(base.ref);
    const slot = this.#slot(key);
    if (slot === base) return;
    if (slot === undefined) {
      const entry = new Entry(key, undefined, base);
      this.#setSlot(key, entry);
      return;
    }
    const entry = this.#entry(key) as Entry;
    entry.base = base;
    this.#track(entry);
  }

  /** Forgets the sync base. */
  async deleteSyncBase(ref: ExternalRef): Promise<void> {
    const entry = this.#entry(refIdentity(ref));
    if (entry === undefined) return;
    entry.base = undefined;
    if (entry.issue === undefined) this.#deleteSlot(entry.key);
    else this.#track(entry);
  }

  async listUnsyncedIssues(query: { system: string }): Promise<{
    /** Issues that differ from their sync base (or have none). */
    unsynced: UnsyncedIssue[];
    /** How many issues of the system the store holds. */
    total: number;
  }> {
    const total = this.#countBySystem.get(query.system) ?? 0;
    for (const entry of this.#fresh) {
      if (entry.unsynced && !entry.listed) {
        entry.listed = true;
        this.#unsynced.add(entry);
      }
    }
    this.#fresh = [];
    // Only unsynced issues are listed: a no-op push compares nothing.
    const listed: Entry[] = [];
    for (const entry of this.#unsynced) {
      // An unsynced entry holds an issue, so it is still the map's (removal clears the flag first).
      if (entry.unsynced) listed.push(entry);
      else {
        // Synced (or gone) since it was listed: dropped from the set.
        this.#unsynced.delete(entry);
        entry.listed = false;
      }
    }
    const unsynced: UnsyncedIssue[] = [];
    for (const entry of sortByCodePoints(listed, entryKey)) {
      const issue = entry.issue as CanonicalIssue;
      // A tombstoned issue is gone (or being deleted): its local edits are not pushed.
      if (issue.ref.system !== query.system || this.#tombstones.has(entry.key)) continue;
      unsynced.push({ issue, base: entry.base ?? null });
    }
    return { unsynced, total };
  }

  /** The checkpoint of `scope`, or null. */
  async getCheckpoint(scope: string): Promise<SyncCheckpoint | null> {
    return this.#checkpoints.get(scope) ?? null;
  }

  /** Records the checkpoint of `scope`. */
  putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    try {
      this.#checkpoints.set(scope, createCheckpoint(checkpoint));
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Records (or replaces) the tombstone of `record.ref`; the issue and its sync base stay. */
  async putTombstone(record: TombstoneRecord): Promise<void> {
    const tombstone = createTombstone(record);
    if ((record.origin !== 'remote' && record.origin !== 'local') || typeof record.pushed !== 'boolean') {
      throw new ModelValidationError(
        `TombstoneRecord needs origin 'remote' or 'local' and a boolean pushed, got origin ${JSON.stringify(record.origin)}, pushed ${JSON.stringify(record.pushed)}`,
      );
    }
    this.#tombstones.set(
      refIdentity(tombstone.ref),
      Object.freeze({ ...tombstone, origin: record.origin, pushed: record.pushed }),
    );
  }

  /** The tombstone of `ref`, or null. */
  async getTombstone(ref: ExternalRef): Promise<TombstoneRecord | null> {
    return this.#tombstones.get(refIdentity(ref)) ?? null;
  }

  /** Tombstones matching every filter given; oldest first (`observedAt`, then identity). */
  async listTombstones(query: TombstoneQuery = {}): Promise<TombstoneRecord[]> {
    const listed: { key: string; at: number; record: TombstoneRecord }[] = [];
    for (const [key, record] of this.#tombstones) {
      if (query.system !== undefined && record.ref.system !== query.system) continue;
      if (query.origin !== undefined && record.origin !== query.origin) continue;
      if (query.pushed !== undefined && record.pushed !== query.pushed) continue;
      listed.push({ key, at: Date.parse(record.observedAt), record });
    }
    listed.sort((a, b) => a.at - b.at || compareCodePoints(a.key, b.key));
    return listed.map(({ record }) => record);
  }
}
