// A tracker that filters by `updatedSince` after paging answers an incremental pull with empty
// pages. Their checkpoints (only the cursor moves) are written every EMPTY_PAGES_PER_CHECKPOINT
// pages and whenever the walk ends or stops, not once per page.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import type { SyncCheckpoint } from '../model/page';
import { FieldOwner, OwnershipPolicy } from '../policy/ownership-policy';
import { InMemoryIssueStore } from '../store/in-memory-issue-store';
import { SyncEngine } from './sync-engine';
import { EMPTY_PAGES_PER_CHECKPOINT } from './sync-pull';
import { counting } from './test-support/counting-connector';
import { FakeTracker } from './test-support/fake-tracker';
import { issue } from './test-support/fixtures';

const SCOPE = 'memory:test';
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });

class CheckpointLog extends InMemoryIssueStore {
  readonly cursors: (string | null)[] = [];
  override async putCheckpoint(scope: string, checkpoint: SyncCheckpoint): Promise<void> {
    this.cursors.push(checkpoint.cursor);
    return super.putCheckpoint(scope, checkpoint);
  }
}

/** A tracker of `pages` one-issue pages (filtered after paging), pulled once: the next pull's pages are empty. */
async function pulledOnce(pages: number) {
  const tracker = new FakeTracker();
  const start = Date.UTC(2026, 0, 1);
  for (let index = 0; index < pages; index++) {
    tracker.seed(issue(`I-${String(index).padStart(4, '0')}`, { updatedAt: new Date(start + index * 1000) }));
  }
  const connector = counting(tracker);
  const store = new CheckpointLog();
  const engine = new SyncEngine({ connector, store, policy, maxRetryAttempts: 0, checkpointScope: SCOPE });
  await engine.pull({ limit: 1 });
  store.cursors.length = 0;
  connector.reset();
  return { tracker, connector, store, engine };
}

describe('checkpoints of empty pages', () => {
  it('are written every 100 pages and at the end of the walk', async () => {
    expect(EMPTY_PAGES_PER_CHECKPOINT).toBe(100);
    // The last issue is re-delivered (at the watermark); the 249 pages before it are empty.
    const { connector, store, engine } = await pulledOnce(250);
    const pulled = await engine.pull({ limit: 1 });
    expect(pulled.failures).toEqual([]);
    expect(connector.calls.listIssues).toBe(250);
    expect(store.cursors).toEqual(['100', '200', null]);
    expect(engine.checkpoint.cursor).toBeNull();
  });

  it('a failed page writes the cursor of that page first, so the next pull resumes there', async () => {
    const { connector, store, engine } = await pulledOnce(250);
    const list = connector.listIssues.bind(connector);
    connector.listIssues = async (query) => {
      if (query.cursor === '150') throw new ConnectorRequestError('tracker down: 503', { statusCode: 503 });
      return list(query);
    };
    const pulled = await engine.pull({ limit: 1 });
    expect(pulled.failures.map(({ operation }) => operation)).toEqual(['pull_page']);
    expect(store.cursors).toEqual(['100', '150']);
    expect((await store.getCheckpoint(SCOPE))?.cursor).toBe('150');
  });

  it('a walk stopped by maxPages writes where the next pull resumes', async () => {
    const { store, tracker } = await pulledOnce(250);
    const engine = new SyncEngine({
      connector: tracker,
      store,
      policy,
      maxPages: 30,
      checkpointScope: SCOPE,
    });
    const pulled = await engine.pull({ limit: 1 });
    expect(pulled.failures.map(({ message }) => message).join()).toContain('30');
    expect(store.cursors).toEqual(['30']);
  });
});
