import { join } from 'node:path';
import { runWebhookInboxConformance } from '@spec-kitty/connector-testkit';
import { createRef, type InboxDeliveryInit, supportsWebhookInbox, TrackerEventType } from '@spec-kitty/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIssueStore } from './sqlite-issue-store';
import { LATEST_SCHEMA_VERSION, migrate, readSchemaVersion } from './sqlite-migrations';
import { SqliteStoreError } from './store-errors';
import { sampleIssue, tempDir } from './test-support';

runWebhookInboxConformance('SqliteIssueStore (file)', () => {
  const { dir, cleanup } = tempDir();
  const inbox = SqliteIssueStore.open(join(dir, 'inbox.db'));
  return {
    inbox,
    cleanup: () => {
      inbox.close();
      cleanup();
    },
  };
});

runWebhookInboxConformance('SqliteIssueStore (:memory:)', () => {
  const inbox = SqliteIssueStore.open(':memory:');
  return { inbox, cleanup: () => inbox.close() };
});

const delivery = (deliveryId: string | null, id = '1'): InboxDeliveryInit => ({
  binding: 'gh',
  deliveryId,
  vendorEvent: 'issues',
  events: [
    {
      eventId: `evt-${id}`,
      eventType: TrackerEventType.UPDATED,
      issueRef: createRef({ system: 'github', workspace: 'octo/hello', id }),
      timestamp: new Date('2026-04-01T00:00:00.000Z'),
      payload: {},
    },
  ],
  receivedAt: new Date('2026-04-01T00:00:01.000Z'),
});

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('SqliteIssueStore webhook inbox', () => {
  it('upgrades a version-8 store to the latest keeping its issues, and the inbox works after it', async () => {
    const path = join(dir, 'v8.db');
    const db = new Database(path);
    migrate(db, { target: 8 });
    db.close();
    const v8 = new Database(path);
    expect(readSchemaVersion(v8)).toBe(8);
    expect(v8.prepare("SELECT name FROM sqlite_master WHERE name = 'webhook_inbox'").get()).toBeUndefined();
    v8.close();

    const store = SqliteIssueStore.open(path);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      await store.upsertIssue(sampleIssue('1'));
      const queued = await store.enqueueDelivery(delivery('d-1'));
      expect(queued.status).toBe('queued');
      expect(supportsWebhookInbox(store)).toBe(true);
    } finally {
      store.close();
    }
    const reopened = SqliteIssueStore.open(path);
    try {
      expect(await reopened.getIssue(sampleIssue('1').ref)).toEqual(sampleIssue('1'));
      expect(await reopened.enqueueDelivery(delivery('d-1'))).toMatchObject({ status: 'duplicate' });
    } finally {
      reopened.close();
    }
  });

  it('an enqueue during an open batch commits on its own, after the batch, and survives its rollback', async () => {
    const store = SqliteIssueStore.open(join(dir, 'batch.db'));
    try {
      let release = (): void => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const batch = store
        .batch(async () => {
          await store.upsertIssue(sampleIssue('7'));
          await gate;
          throw new Error('the page failed');
        })
        .catch((error: Error) => error.message);
      let enqueued = false;
      const enqueue = store.enqueueDelivery(delivery('during-batch')).then((result) => {
        enqueued = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // It waits for the batch rather than joining the transaction the batch will roll back.
      expect(enqueued).toBe(false);
      release();
      expect(await batch).toBe('the page failed');
      expect((await enqueue).status).toBe('queued');
      expect(await store.getIssue(sampleIssue('7').ref)).toBeNull();
      expect((await store.inboxStats('gh')).queued).toBe(1);
    } finally {
      store.close();
    }
    const other = new Database(join(dir, 'batch.db'), { readonly: true });
    expect(other.prepare('SELECT COUNT(*) AS n FROM webhook_inbox').get()).toEqual({ n: 1 });
    other.close();
  });

  it('refuses an inbox write inside batch() or transaction(), which would not commit on its own', async () => {
    const store = SqliteIssueStore.open(':memory:');
    try {
      // Used as an inbox: from now on batches tell calls from inside them apart.
      expect((await store.inboxStats()).queued).toBe(0);
      await expect(store.batch(() => store.enqueueDelivery(delivery('x')))).rejects.toThrow(
        /enqueueDelivery commits on its own and cannot run inside batch\(\)/,
      );
      let inside: Promise<unknown> | undefined;
      store.transaction(() => {
        inside = store.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000 });
      });
      await expect(inside).rejects.toBeInstanceOf(SqliteStoreError);
      expect(await store.inboxStats()).toMatchObject({ queued: 0, inFlight: 0 });
    } finally {
      store.close();
    }
  });

  it('refuses an inbox write inside the batch of a store not yet used as an inbox, after the busy timeout', async () => {
    const store = SqliteIssueStore.open(':memory:', { busyTimeoutMs: 50 });
    try {
      await expect(store.batch(() => store.enqueueDelivery(delivery('x')))).rejects.toThrow(
        /enqueueDelivery commits on its own and cannot run inside batch\(\).*waited 50 ms/,
      );
      expect(await store.inboxStats()).toMatchObject({ queued: 0 });
      // Now an inbox: the refusal is immediate.
      await expect(
        store.batch(() => store.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000 })),
      ).rejects.toThrow(
        /claimDeliveries commits on its own and cannot run inside batch\(\), which commits only when it ends; call it/,
      );
    } finally {
      store.close();
    }
  });

  it('sets a delivery whose stored events are unreadable dead and claims the next one', async () => {
    const path = join(dir, 'corrupt.db');
    const store = SqliteIssueStore.open(path);
    try {
      const bad = await store.enqueueDelivery(delivery('bad', '1'));
      const good = await store.enqueueDelivery({
        ...delivery('good', '2'),
        receivedAt: new Date('2026-04-01T00:00:02Z'),
      });
      const raw = new Database(path);
      raw.prepare("UPDATE webhook_inbox SET events = '{not json' WHERE id = ?").run(Number(bad.id));
      raw.close();
      const claimed = await store.claimDeliveries({ binding: 'gh', limit: 1, leaseMs: 1000 });
      expect(claimed.map((d) => d.id)).toEqual([good.id]);
      expect(await store.inboxStats('gh')).toMatchObject({ queued: 0, inFlight: 1, dead: 1 });
      const check = new Database(path, { readonly: true });
      const row = check.prepare('SELECT last_error FROM webhook_inbox WHERE id = ?').get(Number(bad.id)) as {
        last_error: string;
      };
      check.close();
      expect(row.last_error).toMatch(/stored events are unreadable/);
    } finally {
      store.close();
    }
  });

  it('ignores ids it never handed out', async () => {
    const store = SqliteIssueStore.open(':memory:');
    try {
      await expect(store.completeDeliveries(['nope', '0', '99'])).resolves.toBeUndefined();
      await expect(store.releaseDelivery('x', { error: 'e', retryAt: new Date() })).resolves.toBeUndefined();
      expect(await store.inboxStats()).toEqual({
        queued: 0,
        inFlight: 0,
        dead: 0,
        done: 0,
        oldestPendingAt: null,
      });
    } finally {
      store.close();
    }
  });
});
