// Two-way sync between a memory tracker and the in-memory store with SyncEngine: a first sync in
// both directions, a conflict resolved by policy, then a no-op sync. Run: `npm run demo`.
import {
  CanonicalIssueType,
  CanonicalStatus,
  ConflictStrategy,
  cloneIssue,
  createConnector,
  createIssue,
  createRef,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  refIdentity,
  SyncEngine,
} from '@spec-kitty/core';
import '@spec-kitty/connector-memory';

const ref = (id) => createRef({ system: 'memory', workspace: 'demo', id });
const task = (id, title, status = CanonicalStatus.TODO) =>
  createIssue({ ref: ref(id), title, status, issueType: CanonicalIssueType.TASK });

const tracker = createConnector('memory', { name: 'memory', workspace: 'demo' });
const store = new InMemoryIssueStore();

// The tracker owns status; every other field is shared, and the newer edit wins a conflict.
const engine = new SyncEngine({
  connector: tracker,
  store,
  policy: OwnershipPolicy.split({
    fieldOwners: { status: FieldOwner.EXTERNAL },
    defaultOwner: FieldOwner.SHARED,
  }),
  strategy: ConflictStrategy.NEWER_TIMESTAMP,
});

function show(label, result) {
  const { stats, failures, errors } = result;
  const conflicts = result.conflicts.map((c) => ({
    issue: c.issueRef ? refIdentity(c.issueRef) : null,
    field: c.fieldName,
    local: c.localValue,
    external: c.externalValue,
    resolved: c.resolvedValue,
    strategy: c.strategy,
  }));
  console.log(`\n== ${label}`);
  console.log(JSON.stringify({ stats, conflicts, errors, failures: failures.length }, null, 2));
}

// 1. Issues on both sides: three in the tracker, one written locally.
await tracker.createIssue(task('DEMO-1', 'Set up CI', CanonicalStatus.DONE));
await tracker.createIssue(task('DEMO-2', 'Write the sync engine'));
await tracker.createIssue(task('DEMO-3', 'Ship the CLI'));
await store.upsertIssue(task('DEMO-4', 'Document the engine'));
show('first sync: pulls 3, pushes 1', await engine.sync());

// 2. Both sides edit DEMO-2's title. The local edit is newer, so NEWER_TIMESTAMP keeps it.
//    Both sides also change its status, but status belongs to the tracker, so the tracker's value
//    wins without a conflict. A remote-only edit to DEMO-3 is simply taken (three-way merge).
const remote = await tracker.updateIssue(ref('DEMO-2'), {
  title: 'Write the sync engine (tracker)',
  status: CanonicalStatus.IN_REVIEW,
});
await tracker.updateIssue(ref('DEMO-3'), { body: 'Needs a --dry-run flag' });
const local = await store.getIssue(ref('DEMO-2'));
await store.upsertIssue(
  cloneIssue(local, {
    title: 'Write the sync engine (local)',
    status: CanonicalStatus.BLOCKED,
    updatedAt: new Date(remote.updatedAt.getTime() + 1000),
  }),
);
show('second sync: one conflict, resolved by policy', await engine.sync());

// 3. Nothing changed: nothing is written on either side.
show('third sync: no-op', await engine.sync());

console.log('\nlocal store:');
for (const issue of await store.listIssues()) {
  console.log(`  ${issue.ref.id}\t${issue.status}\t${issue.title}${issue.body ? ` — ${issue.body}` : ''}`);
}
const remoteTitle = (await tracker.getIssue(ref('DEMO-2'))).title;
console.log(`tracker DEMO-2 title: ${remoteTitle}`);
