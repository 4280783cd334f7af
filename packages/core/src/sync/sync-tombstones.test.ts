// Deletions (issue 18): remote tombstones from listing pages, from a full pull's check of the
// issues it did not see, and from writes that answer "not found"; local deletions pushed as
// `canceled`. A failure is never taken for a deletion, and nothing is removed from the store.
import { describe, expect, it } from 'vitest';
import type { TrackerCapabilities } from '../capabilities';
import { ConnectorRequestError, IssueNotFoundError } from '../errors/errors';
import { CanonicalStatus } from '../model/enums';
import { type ExternalRef, refIdentity } from '../model/external-ref';
import type { CanonicalIssue } from '../model/issue';
import type { Page } from '../model/page';
import { createTombstone, type IssueTombstone } from '../model/tombstone';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { IssuePatch, ListIssuesQuery, WriteOptions } from '../protocol/connector';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import type { TombstoneRecord } from '../store/issue-store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { FakeTracker, type FakeTrackerOptions } from './test-support/fake-tracker';
import { issue, noSleep, plainStore, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const OBSERVED = '2026-06-02T00:00:00.000Z';

/**
 * The reference tracker plus deletions, as the memory connector models them: `remove` hides an
 * issue (listings skip it, reads and writes answer not found) and `checkGone` reports it.
 */
class GoneTracker extends FakeTracker {
  readonly gone = new Map<string, IssueTombstone>();
  /** Every `checkGone` call's refs (identities). */
  readonly checks: string[][] = [];
  readonly updates: { ref: string; patch: IssuePatch; key: string | undefined }[] = [];
  /** Listing pages carry the tombstones (like Linear's archived issues); GitHub's never do. */
  listsTombstones = false;
  /** `checkGone` also reports refs it never held as deleted (what a 404 looks like). */
  reportUnknownAsGone = false;
  /** Makes `checkGone` throw this error. */
  checkGoneError: Error | null = null;
  /** Removed just before this identity's next update (deleted between read and write). */
  removeBeforeUpdate: string | null = null;
  /** Updates of this identity answer not found while the issue still exists. */
  updateNotFound: string | null = null;

  constructor(options: FakeTrackerOptions = {}) {
    super({ ...options, capabilities: { reportsDeletions: true, ...options.capabilities } });
  }

  remove(target: ExternalRef, reason: IssueTombstone['reason'] = 'deleted'): IssueTombstone {
    const tombstone = createTombstone({ ref: target, reason, observedAt: OBSERVED });
    this.gone.set(refIdentity(target), tombstone);
    return tombstone;
  }

  override async listIssues(query: ListIssuesQuery): Promise<Page<CanonicalIssue>> {
    const page = await super.listIssues(query);
    const items = page.items.filter((item) => !this.gone.has(refIdentity(item.ref)));
    const tombstones = this.listsTombstones && query.cursor === null ? [...this.gone.values()] : [];
    return tombstones.length > 0
      ? { items, nextCursor: page.nextCursor, tombstones }
      : { items, nextCursor: page.nextCursor };
  }

  override async getIssue(target: ExternalRef): Promise<CanonicalIssue> {
    if (this.gone.has(refIdentity(target)))
      throw new IssueNotFoundError(`Issue not found: ${refIdentity(target)}`);
    return super.getIssue(target);
  }

  override async updateIssue(
    target: ExternalRef,
    patch: IssuePatch,
    options?: WriteOptions,
  ): Promise<CanonicalIssue> {
    const identity = refIdentity(target);
    this.updates.push({ ref: identity, patch, key: options?.idempotencyKey });
    if (this.removeBeforeUpdate === identity) this.remove(target);
    if (this.gone.has(identity) || this.updateNotFound === identity)
      throw new IssueNotFoundError(`Issue not found: ${identity}`);
    return super.updateIssue(target, patch, options);
  }

  async checkGone(refs: readonly ExternalRef[]): Promise<IssueTombstone[]> {
    this.checks.push(refs.map(refIdentity));
    if (this.checkGoneError !== null) throw this.checkGoneError;
    return refs.flatMap((target) => {
      const tombstone = this.gone.get(refIdentity(target));
      if (tombstone !== undefined) return [tombstone];
      const unknown = this.reportUnknownAsGone && !this.issues.has(refIdentity(target));
      return unknown ? [createTombstone({ ref: target, reason: 'deleted', observedAt: OBSERVED })] : [];
    });
  }
}

function world(
  options: { capabilities?: Partial<TrackerCapabilities>; seed?: number; stamped?: boolean } = {},
) {
  const tracker = new GoneTracker({ capabilities: options.capabilities });
  // Unstamped issues leave the checkpoint without a watermark: every pull is then a full one.
  const updatedAt = options.stamped ? new Date('2026-05-01T00:00:00Z') : null;
  for (let n = 1; n <= (options.seed ?? 3); n += 1) tracker.seed(issue(String(n), { updatedAt }));
  const store = new InMemoryIssueStore();
  const engine = (overrides: Partial<SyncEngineOptions> = {}) =>
    new SyncEngine({ connector: tracker, store, policy: shared, sleep: noSleep, ...overrides });
  return { tracker, store, engine };
}

function localDeletion(id: string): TombstoneRecord {
  return {
    ref: ref(id),
    reason: 'deleted',
    movedTo: null,
    observedAt: OBSERVED,
    origin: 'local',
    pushed: false,
  };
}

const ids = (refs: readonly { ref: ExternalRef }[] | readonly ExternalRef[]) =>
  refs.map((item) => ('ref' in item ? item.ref.id : item.id));

describe('remote tombstones from listing pages', () => {
  it('records each tombstone of a stored issue once (origin remote), keeps the issue, and counts it', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    tracker.listsTombstones = true;
    tracker.remove(ref('2'), 'archived');
    // A tombstone of an issue the store never held is not recorded.
    tracker.remove(ref('never-pulled'));
    const first = await engine().pull();
    expect(first.tombstones).toEqual([expect.objectContaining({ ref: ref('2'), reason: 'archived' })]);
    expect(first.stats.tombstoned).toBe(1);
    expect(await store.getTombstone(ref('2'))).toMatchObject({
      origin: 'remote',
      pushed: true,
      reason: 'archived',
    });
    expect(await store.getTombstone(ref('never-pulled'))).toBeNull();
    expect(await store.getIssue(ref('2'))).not.toBeNull();
    const again = await engine().pull();
    expect(again.tombstones).toEqual([]);
    expect(again.stats.tombstoned).toBe(0);
  });

  it('without a TombstoneStore reports them but records nothing and asks checkGone nothing', async () => {
    const tracker = new GoneTracker();
    tracker.seed(issue('1'));
    tracker.seed(issue('2'));
    const store = plainStore();
    const engine = new SyncEngine({ connector: tracker, store, policy: shared, sleep: noSleep });
    await engine.pull();
    tracker.listsTombstones = true;
    tracker.remove(ref('2'));
    const result = await new SyncEngine({ connector: tracker, store, policy: shared, sleep: noSleep }).pull();
    expect(ids(result.tombstones)).toEqual(['2']);
    expect(tracker.checks).toEqual([]);
    expect(await store.getIssue(ref('2'))).not.toBeNull();
  });
});

describe('a full pull checks the stored issues it did not see', () => {
  it('asks checkGone about unseen, non-tombstoned refs only, and records what is gone', async () => {
    const { tracker, store, engine } = world({ seed: 4, stamped: true });
    await engine().pull();
    tracker.remove(ref('2'));
    tracker.remove(ref('3'), 'moved');
    await store.putTombstone({ ...localDeletion('3') });
    // The stored checkpoint makes the next pulls incremental: no check.
    await engine().pull();
    await engine().pull();
    expect(tracker.checks).toEqual([]);
    const result = await engine({ persistCheckpoints: false }).pull();
    expect(tracker.checks).toEqual([[refIdentity(ref('2'))]]);
    expect(ids(result.tombstones)).toEqual(['2']);
    expect(result.stats.tombstoned).toBe(1);
    expect(ids(await store.listTombstones({ origin: 'remote' }))).toEqual(['2']);
    expect(await store.listIssues()).toHaveLength(4);
  });

  it('asks in batches of at most 100 refs', async () => {
    const { tracker, engine } = world({ seed: 260 });
    await engine().pull();
    for (let n = 1; n <= 250; n += 1) tracker.remove(ref(String(n)));
    const result = await engine().pull();
    expect(tracker.checks.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(result.stats.tombstoned).toBe(250);
  });

  it('never asks about a local issue the tracker never had (no sync base): sync creates it', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.upsertIssue(issue('local-only'));
    // Answering for every unknown ref, as a tracker that 404s would: asking would tombstone it.
    tracker.reportUnknownAsGone = true;
    const result = await engine().sync();
    expect(tracker.checks).toEqual([]);
    expect(result.tombstones).toEqual([]);
    expect(result.stats.pushedCreated).toBe(1);
    expect(await store.getTombstone(ref('local-only'))).toBeNull();
  });

  it('records a failure of checkGone as check_gone, never as a deletion', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    tracker.remove(ref('2'));
    tracker.checkGoneError = new ConnectorRequestError('GitHub answered 503', {
      statusCode: 503,
      provider: 'memory',
    });
    const result = await engine({ maxRetryAttempts: 0 }).pull();
    expect(result.tombstones).toEqual([]);
    expect(result.failures).toEqual([
      expect.objectContaining({ operation: 'check_gone', failureClass: 'transient', retryable: true }),
    ]);
    expect(result.failures[0]?.message).toContain('nothing was marked deleted');
    expect(await store.listTombstones()).toEqual([]);
  });

  it('does not ask a connector that does not report deletions', async () => {
    const { tracker, store, engine } = world({ capabilities: { reportsDeletions: false } });
    await engine().pull();
    tracker.remove(ref('2'));
    await engine().pull();
    expect(tracker.checks).toEqual([]);
    expect(await store.listTombstones()).toEqual([]);
  });
});

describe('writes that answer not found', () => {
  it('an update of an issue deleted meanwhile records its tombstone instead of a failure', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.upsertIssue(issue('2', { title: 'Edited locally' }));
    tracker.removeBeforeUpdate = refIdentity(ref('2'));
    const result = await engine().sync();
    expect(result.failures).toEqual([]);
    expect(ids(result.tombstones)).toEqual(['2']);
    expect(await store.getTombstone(ref('2'))).toMatchObject({ origin: 'remote', reason: 'deleted' });
    expect((await store.getIssue(ref('2')))?.title).toBe('Edited locally');
    // Tombstoned: the local edit is not pushed again, nor the issue created again.
    tracker.updates.length = 0;
    const next = await engine().push();
    expect(tracker.updates).toEqual([]);
    expect(next.stats.pushedCreated).toBe(0);
  });

  it('keeps the update failure when the tracker says the issue still exists', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.upsertIssue(issue('2', { title: 'Edited locally' }));
    tracker.updateNotFound = refIdentity(ref('2'));
    const result = await engine().sync();
    expect(tracker.checks).toEqual([[refIdentity(ref('2'))]]);
    expect(result.tombstones).toEqual([]);
    expect(result.failures).toEqual([expect.objectContaining({ operation: 'update', issueRef: ref('2') })]);
    expect(await store.getTombstone(ref('2'))).toBeNull();
  });

  it('a synced issue missing from the tracker is not created again once checkGone confirms it', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.upsertIssue(issue('2', { title: 'Edited locally' }));
    tracker.remove(ref('2'));
    const result = await engine().push();
    expect(result.stats.pushedCreated).toBe(0);
    expect(ids(result.tombstones)).toEqual(['2']);
    expect(tracker.gone.has(refIdentity(ref('2')))).toBe(true);
  });

  it('nor when checkGone fails (a failure, and no create)', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.upsertIssue(issue('2', { title: 'Edited locally' }));
    tracker.remove(ref('2'));
    tracker.checkGoneError = new ConnectorRequestError('unauthorized', {
      statusCode: 401,
      provider: 'memory',
    });
    const result = await engine().push();
    expect(result.stats.pushedCreated).toBe(0);
    expect(result.failures).toEqual([
      expect.objectContaining({ operation: 'check_gone', failureClass: 'authentication' }),
    ]);
    expect(await store.listTombstones()).toEqual([]);
  });
});

describe('local deletions', () => {
  it('closes the remote issue as canceled, marks the tombstone pushed, and never pushes its edits', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.upsertIssue(issue('2', { title: 'Edited, then deleted locally' }));
    await store.putTombstone(localDeletion('2'));
    const result = await engine().sync();
    expect(tracker.updates).toEqual([
      {
        ref: refIdentity(ref('2')),
        patch: { status: CanonicalStatus.CANCELED },
        key: `delete:${refIdentity(ref('2'))}`,
      },
    ]);
    expect(tracker.issues.get(refIdentity(ref('2')))?.title).toBe('Issue 2');
    expect(tracker.issues.get(refIdentity(ref('2')))?.status).toBe(CanonicalStatus.CANCELED);
    expect(ids(result.closedRemote)).toEqual(['2']);
    expect(result.stats.closedRemote).toBe(1);
    expect(await store.getTombstone(ref('2'))).toMatchObject({ origin: 'local', pushed: true });
    expect(await store.getIssue(ref('2'))).not.toBeNull();
    tracker.updates.length = 0;
    const again = await engine().sync();
    expect(tracker.updates).toEqual([]);
    expect(again.closedRemote).toEqual([]);
  });

  it('records a patch_field_denied failure where the connector cannot close issues', async () => {
    const { tracker, store, engine } = world({ capabilities: { supportsTerminalTransition: false } });
    await engine().pull();
    await store.putTombstone(localDeletion('2'));
    const result = await engine().push();
    expect(tracker.updates).toEqual([]);
    expect(result.closedRemote).toEqual([]);
    expect(result.failures).toEqual([
      expect.objectContaining({ operation: 'patch_field_denied', issueRef: ref('2'), retryable: false }),
    ]);
    expect(result.failures[0]?.message).toContain('does not support a terminal transition');
    expect(await store.getTombstone(ref('2'))).toMatchObject({ origin: 'local', pushed: false });
  });

  it('a remote issue already gone turns the local deletion into a remote tombstone', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.putTombstone(localDeletion('2'));
    tracker.remove(ref('2'));
    const result = await engine().push();
    expect(result.failures).toEqual([]);
    expect(result.closedRemote).toEqual([]);
    expect(ids(result.tombstones)).toEqual(['2']);
    expect(await store.getTombstone(ref('2'))).toMatchObject({ origin: 'remote', pushed: true });
  });

  it('a failed close stays unpushed with an update failure', async () => {
    const { tracker, store, engine } = world();
    await engine().pull();
    await store.putTombstone(localDeletion('2'));
    tracker.updateNotFound = refIdentity(ref('2'));
    const result = await engine().push();
    expect(result.failures).toEqual([expect.objectContaining({ operation: 'update', issueRef: ref('2') })]);
    expect(await store.getTombstone(ref('2'))).toMatchObject({ origin: 'local', pushed: false });
  });
});

describe('plan()', () => {
  it('reports the closes and tombstones it would record, writing nothing', async () => {
    const { tracker, store, engine } = world({ seed: 4 });
    await engine().pull();
    await store.putTombstone(localDeletion('2'));
    tracker.remove(ref('3'));
    const { writes, result } = await engine().plan();
    expect(ids(result.closedRemote)).toEqual(['2']);
    expect(ids(result.tombstones)).toEqual(['3']);
    expect(writes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: 'local', action: 'tombstone', ref: ref('3') }),
        expect.objectContaining({
          target: 'remote',
          action: 'update',
          ref: ref('2'),
          patch: { status: 'canceled' },
        }),
        expect.objectContaining({ target: 'local', action: 'tombstone', ref: ref('2') }),
      ]),
    );
    expect(tracker.updates).toEqual([]);
    expect(await store.getTombstone(ref('2'))).toMatchObject({ pushed: false });
    expect(await store.getTombstone(ref('3'))).toBeNull();
  });
});
