// The original's observable SyncEngine contract (original-core-behaviour.md §6), on a store
// without sync bases, where the engine must behave exactly like the original.
import { describe, expect, it } from 'vitest';
import {
  CapabilityNotSupportedError,
  ConnectorRequestError,
  ModelValidationError,
  SyncConflictError,
} from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { CanonicalStatus } from '../model/enums';
import { createRef } from '../model/external-ref';
import { createCheckpoint } from '../model/page';
import { ConflictStrategy } from '../policy/conflicts';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import type { IssuePatch, ListIssuesQuery, WriteOptions } from '../protocol/connector';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import { createSyncFailure, formatSyncFailure } from './sync-result';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { at, issue, noSleep, plainStore, ref } from './test-support/fixtures';

const shared = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

function setup(overrides: Partial<SyncEngineOptions> = {}) {
  const tracker = new FakeTracker();
  const connector = counting(tracker);
  const store = plainStore();
  const engine = new SyncEngine({ connector, store, policy: shared, sleep: noSleep, ...overrides });
  return { tracker, connector, store, engine };
}

describe('SyncFailure', () => {
  it('renders as operation[identity]: message, and <none> without a ref', () => {
    const update = createSyncFailure({
      issueRef: createRef({ system: 'jira', workspace: 'demo', id: 'SP-2' }),
      operation: 'update',
      failureClass: FailureClass.VALIDATION,
      message: 'validation failed',
      retryable: false,
    });
    expect(String(update)).toBe('update[jira:demo:SP-2]: validation failed');
    expect(`${update}`).toBe('update[jira:demo:SP-2]: validation failed');
    const page = createSyncFailure({
      issueRef: null,
      operation: 'pull_page',
      failureClass: FailureClass.VALIDATION,
      message: "malformed cursor: 'x'",
      retryable: false,
    });
    expect(formatSyncFailure(page)).toBe("pull_page[<none>]: malformed cursor: 'x'");
    expect(Object.keys(page)).toEqual([
      'issueRef',
      'operation',
      'failureClass',
      'message',
      'retryable',
      'resetAt',
    ]);
  });
});

describe('pull', () => {
  it('stores a new remote issue exactly as received and advances the checkpoint', async () => {
    const { tracker, store, engine } = setup();
    const remote = issue('A-1', { updatedAt: at('2026-01-02T00:00:00Z'), raw: { k: 1 } });
    tracker.seed(remote);
    tracker.seed(issue('A-2', { updatedAt: at('2026-01-03T00:00:00Z') }));
    const result = await engine.pull();
    expect(result.stats).toEqual({
      pulledCreated: 2,
      pulledUpdated: 0,
      pushedCreated: 0,
      pushedUpdated: 0,
      skipped: 0,
      tombstoned: 0,
      closedRemote: 0,
    });
    expect(await store.getIssue(remote.ref)).toEqual(remote);
    expect(engine.checkpoint).toEqual({ cursor: null, updatedSince: at('2026-01-03T00:00:00Z') });
    expect(result.errors).toEqual([]);
  });

  it('re-delivers the newest issue on the next pull (>= watermark) and counts it skipped', async () => {
    const { tracker, engine } = setup();
    tracker.seed(issue('A-1', { updatedAt: at('2026-01-02T00:00:00Z') }));
    tracker.seed(issue('A-2', { updatedAt: at('2026-01-03T00:00:00Z') }));
    await engine.pull();
    const again = await engine.pull();
    expect(again.stats.skipped).toBe(1);
    expect(again.stats.pulledUpdated).toBe(0);
  });

  it('captures a non-retryable page failure without advancing the checkpoint', async () => {
    const { tracker, engine } = setup();
    tracker.seed(issue('A-1'));
    engine.restoreCheckpoint(createCheckpoint({ cursor: 'x' }));
    const result = await engine.pull();
    expect(result.failures).toEqual([
      {
        issueRef: null,
        operation: 'pull_page',
        failureClass: FailureClass.VALIDATION,
        message: "malformed cursor: 'x'",
        retryable: false,
        resetAt: null,
      },
    ]);
    expect(result.errors).toEqual(["pull_page[<none>]: malformed cursor: 'x'"]);
    expect(engine.checkpoint.cursor).toBe('x');
  });

  it('reports a pull failure as retryable when the error is (unlike push failures)', async () => {
    const { connector, engine } = setup({ maxRetryAttempts: 2 });
    connector.listIssues = async () => {
      throw new ConnectorRequestError('HTTP 503', { statusCode: 503 });
    };
    const result = await engine.pull();
    expect(connector.calls.listIssues).toBe(3);
    expect(result.failures[0]).toMatchObject({
      operation: 'pull_page',
      failureClass: 'transient',
      retryable: true,
    });
    expect(result.errors).toEqual(['pull_page[<none>]: HTTP 503']);
  });

  it('checkpoints after every page and resumes from there', async () => {
    const tracker = new FakeTracker();
    for (let index = 1; index <= 5; index++) {
      tracker.seed(issue(`I-${index}`, { updatedAt: at(`2026-01-0${index}T00:00:00Z`) }));
    }
    let pages = 0;
    const flaky = counting(tracker);
    const list = tracker.listIssues.bind(tracker);
    flaky.listIssues = async (query: ListIssuesQuery) => {
      pages += 1;
      if (pages === 2) throw new ConnectorRequestError('bad gateway', { statusCode: 400 });
      return list(query);
    };
    const store = plainStore();
    const engine = new SyncEngine({ connector: flaky, store, policy: shared, sleep: noSleep });
    const first = await engine.pull({ limit: 2 });
    expect(first.stats.pulledCreated).toBe(2);
    expect(engine.checkpoint).toEqual({ cursor: '2', updatedSince: at('2026-01-02T00:00:00Z') });
    const resumed = await engine.pull({ limit: 2 });
    expect(resumed.stats.pulledCreated).toBe(3);
    expect(engine.checkpoint).toEqual({ cursor: null, updatedSince: at('2026-01-05T00:00:00Z') });
  });

  it('collapses duplicates within a page: later wins on ties, a null updatedAt never replaces', async () => {
    const store = plainStore();
    const older = issue('D-1', { title: 'old', updatedAt: at('2026-01-01T00:00:00Z') });
    const tie = issue('D-1', { title: 'tie', updatedAt: at('2026-01-01T00:00:00Z') });
    const undated = issue('D-1', { title: 'undated', updatedAt: null });
    const other = issue('D-2');
    const connector = counting(new FakeTracker());
    connector.listIssues = async () => ({ items: [older, other, tie, undated], nextCursor: null });
    const engine = new SyncEngine({ connector, store, policy: shared });
    const result = await engine.pull();
    expect(result.stats.pulledCreated).toBe(2);
    expect((await store.getIssue(ref('D-1')))?.title).toBe('tie');
  });

  it('merges with NEWER_TIMESTAMP: ties go to external, conflicts carry the issue ref', async () => {
    const { tracker, store, engine } = setup();
    const when = at('2026-02-01T00:00:00Z');
    await store.upsertIssue(issue('C-1', { title: 'local', updatedAt: when }));
    tracker.seed(issue('C-1', { title: 'remote', updatedAt: when }));
    const result = await engine.pull();
    expect(result.stats.pulledUpdated).toBe(1);
    expect(result.conflicts).toEqual([
      {
        fieldName: 'title',
        localValue: 'local',
        externalValue: 'remote',
        resolvedValue: 'remote',
        strategy: 'newer_timestamp',
        manualReviewRequired: false,
        issueRef: ref('C-1'),
        pending: false,
      },
    ]);
  });

  it('raises SyncConflictError under strict manual review only after the writes', async () => {
    const { tracker, store, engine } = setup({
      strategy: ConflictStrategy.MANUAL_REVIEW,
      strictManualReview: true,
    });
    await store.upsertIssue(issue('C-1', { title: 'local' }));
    tracker.seed(issue('C-1', { title: 'remote' }));
    tracker.seed(issue('C-2', { title: 'new' }));
    await expect(engine.pull()).rejects.toThrow(
      new SyncConflictError('Manual review conflicts detected while strict_manual_review is enabled'),
    );
    expect((await store.getIssue(ref('C-2')))?.title).toBe('new');
    expect((await store.getIssue(ref('C-1')))?.title).toBe('local');
  });
});

describe('push: strict manual review', () => {
  it('raises only after the remote and store writes of the push', async () => {
    const { tracker, store, engine } = setup({
      strategy: ConflictStrategy.MANUAL_REVIEW,
      strictManualReview: true,
    });
    tracker.seed(issue('C-1', { title: 'remote' }));
    await store.upsertIssue(issue('C-1', { title: 'local' }));
    await store.upsertIssue(issue('N-1'));
    await expect(engine.push()).rejects.toThrow(
      'Manual review conflicts detected while strict_manual_review is enabled',
    );
    // MANUAL_REVIEW keeps the local value, which is still sent; the create also happened.
    expect(tracker.issues.get('memory:demo:C-1')?.title).toBe('local');
    expect(tracker.issues.has('memory:demo:N-1')).toBe(true);
  });
});

describe('push: create path', () => {
  it('never creates under an external-authoritative policy', async () => {
    const { connector, store, engine } = setup({ policy: OwnershipPolicy.externalAuthoritative() });
    await store.upsertIssue(issue('N-1'));
    const result = await engine.push();
    expect(result.stats.skipped).toBe(1);
    expect(connector.calls.createIssue).toBeUndefined();
  });

  it.each([
    ['assignees', { assignees: ['ann'] }, 'assignees'],
    ['customFields', { customFields: { x: 1 } }, 'custom_fields'],
    ['parent', { parent: ref('P-1') }, 'parent'],
  ] as const)('refuses to create when local does not own a non-empty %s', async (field, init, name) => {
    const policy = OwnershipPolicy.split({ fieldOwners: { [field]: FieldOwner.EXTERNAL } });
    const { connector, store, engine } = setup({ policy });
    await store.upsertIssue(issue('N-1', init));
    const result = await engine.push();
    expect(result.errors).toEqual([
      `create[memory:demo:N-1]: create denied: local does not own '${name}' and it is not empty`,
    ]);
    expect(result.failures[0]?.retryable).toBe(false);
    expect(connector.calls.createIssue).toBeUndefined();
  });

  it('checks the guard fields in the original order (assignees before labels)', async () => {
    const policy = OwnershipPolicy.split({
      fieldOwners: { labels: FieldOwner.EXTERNAL, assignees: FieldOwner.EXTERNAL },
    });
    const { store, engine } = setup({ policy });
    await store.upsertIssue(issue('N-1', { labels: ['x'], assignees: ['y'] }));
    const result = await engine.push();
    expect(result.failures.map((failure) => failure.message)).toEqual([
      "create denied: local does not own 'assignees' and it is not empty",
    ]);
  });

  it('refuses TeamSpace legacy keys anywhere in custom fields', async () => {
    const { connector, store, engine } = setup();
    await store.upsertIssue(
      issue('N-1', { customFields: { nested: [{ mission_key: 1, feature_slug: 'a' }] } }),
    );
    const result = await engine.push();
    expect(result.errors).toEqual([
      'create[memory:demo:N-1]: Forbidden TeamSpace legacy keys in tracker payload: feature_slug, mission_key',
    ]);
    expect(connector.calls.createIssue).toBeUndefined();
  });

  it('creates, then stores the connector copy with its timestamps', async () => {
    const { tracker, store, engine } = setup();
    await store.upsertIssue(issue('N-1'));
    const result = await engine.push();
    expect(result.stats.pushedCreated).toBe(1);
    const remote = tracker.issues.get('memory:demo:N-1');
    expect(remote?.updatedAt).not.toBeNull();
    expect(await store.getIssue(ref('N-1'))).toEqual(remote);
  });

  it('records a create failure (409 different content) as non-retryable with its class', async () => {
    const { connector, store, engine } = setup();
    connector.createIssue = async () => {
      throw new ConnectorRequestError('issue already exists with different content: memory:demo:N-1', {
        statusCode: 409,
      });
    };
    await store.upsertIssue(issue('N-1'));
    const result = await engine.push();
    expect(result.failures).toEqual([
      {
        issueRef: ref('N-1'),
        operation: 'create',
        failureClass: 'validation',
        message: 'issue already exists with different content: memory:demo:N-1',
        retryable: false,
        resetAt: null,
      },
    ]);
  });

  it('aborts the push on an unexpected error type', async () => {
    const { connector, store, engine } = setup();
    connector.createIssue = async () => {
      throw new TypeError('boom');
    };
    await store.upsertIssue(issue('N-1'));
    await expect(engine.push()).rejects.toThrow(TypeError);
  });
});

describe('push: update path', () => {
  async function divergent(overrides: Partial<SyncEngineOptions> = {}, remoteInit = {}, localInit = {}) {
    const context = setup(overrides);
    const old = at('2026-01-01T00:00:00Z');
    const fresh = at('2026-03-01T00:00:00Z');
    context.tracker.seed(issue('U-1', { updatedAt: old, ...remoteInit }));
    await context.store.upsertIssue(issue('U-1', { updatedAt: fresh, ...localInit }));
    return context;
  }

  it('sends only changed core fields, in core order, with the stable key sync:<identity>', async () => {
    const { connector, engine } = await divergent({}, {}, { title: 'T2', labels: ['l'], body: 'b' });
    const seen: { patch: IssuePatch; options?: WriteOptions }[] = [];
    const update = connector.updateIssue.bind(connector);
    connector.updateIssue = async (r, patch, options) => {
      seen.push({ patch, options });
      return update(r, patch, options);
    };
    const result = await engine.push();
    expect(result.stats.pushedUpdated).toBe(1);
    expect(Object.keys(seen[0]?.patch ?? {})).toEqual(['title', 'body', 'labels']);
    expect(seen[0]?.options?.idempotencyKey).toBe('sync:memory:demo:U-1');
  });

  it('excludes assignees and terminal status when the connector cannot carry them', async () => {
    const tracker = new FakeTracker({
      capabilities: { supportsAssignment: false, supportsTerminalTransition: false },
    });
    const store = plainStore();
    const engine = new SyncEngine({ connector: tracker, store, policy: shared });
    tracker.seed(issue('U-1', { updatedAt: at('2026-01-01T00:00:00Z') }));
    await store.upsertIssue(
      issue('U-1', {
        assignees: ['ann'],
        status: CanonicalStatus.DONE,
        updatedAt: at('2026-02-01T00:00:00Z'),
      }),
    );
    const result = await engine.push();
    expect(result.errors).toEqual([
      'patch_field_denied[memory:demo:U-1]: assignees excluded: connector does not support assignment',
      'patch_field_denied[memory:demo:U-1]: status excluded: connector does not support a terminal transition',
    ]);
    expect(result.stats.skipped).toBe(1);
    expect(tracker.issues.get('memory:demo:U-1')?.status).toBe('todo');
  });

  it('allows a non-terminal status change without the terminal capability', async () => {
    const tracker = new FakeTracker({ capabilities: { supportsTerminalTransition: false } });
    const store = plainStore();
    const engine = new SyncEngine({ connector: tracker, store, policy: shared });
    tracker.seed(issue('U-1', { updatedAt: at('2026-01-01T00:00:00Z') }));
    await store.upsertIssue(
      issue('U-1', { status: CanonicalStatus.BLOCKED, updatedAt: at('2026-02-01T00:00:00Z') }),
    );
    const result = await engine.push();
    expect(result.failures).toEqual([]);
    expect(tracker.issues.get('memory:demo:U-1')?.status).toBe('blocked');
  });

  it('writes the resolved values back locally when the patch is empty', async () => {
    // Remote is newer, so NEWER_TIMESTAMP resolves to the remote value: nothing to send.
    const { store, engine, connector } = setup();
    await store.upsertIssue(issue('U-1', { title: 'local', updatedAt: at('2026-01-01T00:00:00Z') }));
    connector.seed(issue('U-1', { title: 'remote', updatedAt: at('2026-03-01T00:00:00Z') }));
    const result = await engine.push();
    expect(result.stats.skipped).toBe(1);
    expect(result.conflicts).toHaveLength(1);
    expect((await store.getIssue(ref('U-1')))?.title).toBe('remote');
    const again = await engine.push();
    expect(again.conflicts).toEqual([]);
  });

  it('refuses legacy keys in a customFields patch without sending it', async () => {
    const { connector, engine } = await divergent({}, {}, { customFields: { feature_number: 3 } });
    const result = await engine.push();
    expect(result.errors).toEqual([
      'update[memory:demo:U-1]: Forbidden TeamSpace legacy keys in tracker payload: feature_number',
    ]);
    expect(connector.calls.updateIssue).toBeUndefined();
  });

  it('records update failures as non-retryable; a capability refusal has no failure class', async () => {
    const { connector, engine } = await divergent({}, {}, { title: 'T2' });
    connector.updateIssue = async () => {
      throw new CapabilityNotSupportedError('no status', { capability: 'status' });
    };
    const result = await engine.push();
    expect(result.failures).toEqual([
      {
        issueRef: ref('U-1'),
        operation: 'update',
        failureClass: null,
        message: 'no status',
        retryable: false,
        resetAt: null,
      },
    ]);
  });

  it('retries a retryable update with the same key, at most 1 + maxRetryAttempts calls', async () => {
    const { connector, engine } = await divergent({ maxRetryAttempts: 2 }, {}, { title: 'T2' });
    const keys: (string | undefined)[] = [];
    connector.updateIssue = async (_r, _p, options) => {
      keys.push(options?.idempotencyKey);
      throw new ConnectorRequestError('HTTP 502', { statusCode: 502 });
    };
    const result = await engine.push();
    expect(keys).toEqual(['sync:memory:demo:U-1', 'sync:memory:demo:U-1', 'sync:memory:demo:U-1']);
    expect(result.failures[0]).toMatchObject({ failureClass: 'transient', retryable: false });
  });

  it('ignores remote-only issues and issues of other systems', async () => {
    const { tracker, store, engine, connector } = setup();
    tracker.seed(issue('R-1'));
    await store.upsertIssue(
      issue('X-1', { ref: createRef({ system: 'jira', workspace: 'demo', id: 'X-1' }) }),
    );
    const result = await engine.push();
    expect(result.stats).toEqual({
      pulledCreated: 0,
      pulledUpdated: 0,
      pushedCreated: 0,
      pushedUpdated: 0,
      skipped: 0,
      tombstoned: 0,
      closedRemote: 0,
    });
    expect(connector.writes()).toBe(0);
  });
});

describe('sync', () => {
  it('pushes with page size max(limit, 100) when it lists the remote', async () => {
    const { tracker, store, engine, connector } = setup();
    for (let index = 0; index < 5; index++)
      tracker.seed(issue(`S-${index}`, { updatedAt: at('2026-01-01T00:00:00Z') }));
    await engine.sync({ limit: 10 });
    const limits: number[] = [];
    const list = connector.listIssues.bind(connector);
    connector.listIssues = async (query) => {
      limits.push(query.limit);
      return list(query);
    };
    await store.upsertIssue(issue('S-9', { title: 'local only' }));
    await engine.sync({ limit: 10 });
    expect(limits).toEqual([10, 100]);
  });

  it('does not list the remote again right after a pull that walked all of it', async () => {
    const { tracker, store, engine, connector } = setup();
    for (let index = 0; index < 5; index++) tracker.seed(issue(`S-${index}`));
    await store.upsertIssue(issue('L-1'));
    const result = await engine.sync({ limit: 2 });
    expect(result.stats).toMatchObject({ pulledCreated: 5, pushedCreated: 1, skipped: 5 });
    expect(connector.calls.listIssues).toBe(3);
  });

  it('combines pull and push results in order', async () => {
    const { tracker, store, engine } = setup();
    tracker.seed(issue('P-1', { updatedAt: at('2026-01-01T00:00:00Z') }));
    await store.upsertIssue(issue('L-1'));
    const result = await engine.sync();
    // P-1 is pulled, then visited by push with an empty patch (skipped), as in the original.
    expect(result.stats).toEqual({
      pulledCreated: 1,
      pulledUpdated: 0,
      pushedCreated: 1,
      pushedUpdated: 0,
      skipped: 1,
      tombstoned: 0,
      closedRemote: 0,
    });
  });

  it('does not push when the pull raises under strict manual review', async () => {
    const { tracker, store, engine, connector } = setup({
      strategy: ConflictStrategy.MANUAL_REVIEW,
      strictManualReview: true,
    });
    await store.upsertIssue(issue('C-1', { title: 'local' }));
    tracker.seed(issue('C-1', { title: 'remote' }));
    await store.upsertIssue(issue('L-1'));
    await expect(engine.sync()).rejects.toThrow(SyncConflictError);
    expect(connector.writes()).toBe(0);
  });

  it('converges: a second sync with no edits reports nothing and changes nothing (N13)', async () => {
    const { tracker, store, engine } = setup();
    tracker.seed(issue('C-1', { title: 'remote', updatedAt: at('2026-01-01T00:00:00Z') }));
    await store.upsertIssue(
      issue('C-1', { title: 'local', labels: ['l'], updatedAt: at('2026-02-01T00:00:00Z') }),
    );
    await store.upsertIssue(issue('C-2'));
    await engine.sync();
    const before = await store.listIssues();
    const second = await engine.sync();
    expect(second.conflicts).toEqual([]);
    expect(second.stats.pushedUpdated).toBe(0);
    expect(second.stats.pulledUpdated).toBe(0);
    expect(await store.listIssues()).toEqual(before);
  });
});

describe('page size', () => {
  it('rejects a limit the original would loop forever on, before any call', async () => {
    const { engine, connector } = setup();
    for (const limit of [0, -1, 1.5]) {
      await expect(engine.pull({ limit })).rejects.toThrow(`limit must be a positive integer, got ${limit}`);
      await expect(engine.sync({ limit })).rejects.toThrow(ModelValidationError);
    }
    expect(connector.total()).toBe(0);
  });
});

describe('checkpoint', () => {
  it('starts empty and restoreCheckpoint replaces it verbatim', () => {
    const { engine } = setup();
    expect(engine.checkpoint).toEqual({ cursor: null, updatedSince: null });
    engine.restoreCheckpoint(createCheckpoint({ cursor: '999', updatedSince: at('2026-01-01T00:00:00Z') }));
    expect(engine.checkpoint).toEqual({ cursor: '999', updatedSince: at('2026-01-01T00:00:00Z') });
  });

  it('completes normally from a cursor beyond the end', async () => {
    const { tracker, engine } = setup();
    tracker.seed(issue('A-1'));
    engine.restoreCheckpoint(createCheckpoint({ cursor: '999' }));
    const result = await engine.pull();
    expect(result.failures).toEqual([]);
    expect(engine.checkpoint.cursor).toBeNull();
  });
});
