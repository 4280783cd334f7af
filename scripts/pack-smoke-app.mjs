// Runs inside an empty project where the packed tarballs were installed with npm: the library
// as a user imports it (core + one connector + the SQLite store), one two-way sync, checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CanonicalIssueType,
  CanonicalStatus,
  ConflictStrategy,
  createConnector,
  createIssue,
  createRef,
  OwnershipPolicy,
  SyncEngine,
} from '@spec-kitty/core';
import '@spec-kitty/connector-memory';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';

function check(condition, message) {
  if (!condition) throw new Error(`pack smoke: ${message}`);
}

// Registration by import reached the same core the app imports (one copy installed).
const tracker = createConnector('memory', { workspace: 'smoke' });
for (const [id, title] of [
  ['S-1', 'Install from the tarballs'],
  ['S-2', 'Sync once'],
]) {
  await tracker.createIssue(
    createIssue({
      ref: createRef({ system: 'memory', workspace: 'smoke', id, key: id }),
      title,
      status: CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
    }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'pack-smoke-'));
const store = SqliteIssueStore.open(join(dir, 'store.db'));
try {
  const engine = new SyncEngine({
    connector: tracker,
    store,
    policy: OwnershipPolicy.split({ fieldOwners: {} }),
    strategy: ConflictStrategy.NEWER_TIMESTAMP,
    checkpointScope: 'memory:smoke',
  });
  const first = await engine.sync();
  check(first.stats.pulledCreated === 2, `first sync pulled ${first.stats.pulledCreated} issues, not 2`);

  const local = await store.getIssue(
    createRef({ system: 'memory', workspace: 'smoke', id: 'S-2', key: 'S-2' }),
  );
  check(local !== null, 'S-2 missing from the store');
  await store.upsertIssue({
    ...local,
    title: 'Sync once (edited locally)',
    updatedAt: new Date(Date.now() + 60_000),
  });
  const second = await engine.sync();
  check(second.stats.pushedUpdated === 1, `second sync pushed ${second.stats.pushedUpdated} updates, not 1`);
  const remote = await tracker.getIssue(local.ref);
  check(remote?.title === 'Sync once (edited locally)', `the tracker has ${JSON.stringify(remote?.title)}`);

  const third = await engine.sync();
  const writes =
    third.stats.pulledCreated +
    third.stats.pulledUpdated +
    third.stats.pushedCreated +
    third.stats.pushedUpdated;
  check(writes === 0, `a repeat sync wrote ${writes} times`);
  console.log('pack smoke: library sync ok (2 pulled, 1 pushed, repeat sync a no-op)');
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
