// The main job on embedded defaults: seed a memory tracker, pull it into the in-memory store, print.
import {
  CanonicalIssueType,
  CanonicalStatus,
  createConnector,
  createIssue,
  createRef,
  InMemoryIssueStore,
} from '@spec-kitty/core';
import '@spec-kitty/connector-memory';

const tracker = createConnector('memory', { name: 'memory', workspace: 'demo' });
const titles = ['Set up CI', 'Write the sync engine', 'Ship the CLI'];
for (const [index, title] of titles.entries()) {
  await tracker.createIssue(
    createIssue({
      ref: createRef({ system: 'memory', workspace: 'demo', id: `DEMO-${index + 1}` }),
      title,
      status: index === 0 ? CanonicalStatus.DONE : CanonicalStatus.TODO,
      issueType: CanonicalIssueType.TASK,
    }),
  );
}

const store = new InMemoryIssueStore();
let cursor = null;
do {
  const page = await tracker.listIssues({ updatedSince: null, cursor, limit: 2 });
  for (const issue of page.items) await store.upsertIssue(issue);
  cursor = page.nextCursor;
} while (cursor !== null);

for (const issue of await store.listIssues()) console.log(`${issue.ref.id}\t${issue.status}\t${issue.title}`);
console.log(`pulled ${titles.length} issues from the memory tracker into the local store`);
