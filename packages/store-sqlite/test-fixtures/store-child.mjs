// Child process used by the durability and locking tests. Drives the BUILT package (dist/).
// argv: <db> <mode> [args...]
//   write <prefix> <count|forever>  upsert issues one by one, printing "committed <n>" after each
//   lock <command>                   take the run lock, print "locked", then wait to be killed
//   pages <prefix>                   forever: one batch per page of 20 issues, a tombstone of the
//                                    page's first issue and a checkpoint, printing "page <n>" after each
//   enqueue <binding>                forever: enqueue a webhook delivery, printing "queued <n> <id>" after each
//   claim <binding> <leaseMs>        claim every due delivery, print "claimed <ids,...>", then wait to be killed
//   drain <binding> <limit>          claim batches of <limit> until none is due, printing "got <id>" per delivery
import {
  CanonicalIssueType,
  CanonicalStatus,
  createCheckpoint,
  createIssue,
  createRef,
} from '@spec-kitty/core';
import { SqliteIssueStore } from '../dist/index.js';

const [db, mode, ...args] = process.argv.slice(2);
const store = SqliteIssueStore.open(db, { busyTimeoutMs: 20_000 });

if (mode === 'write') {
  const [prefix, countText] = args;
  const count = countText === 'forever' ? Number.POSITIVE_INFINITY : Number(countText);
  for (let n = 0; n < count; n++) {
    await store.upsertIssue(
      createIssue({
        ref: createRef({ system: 'crash', workspace: prefix, id: String(n).padStart(6, '0') }),
        title: `${prefix} issue ${n}`,
        body: 'x'.repeat(2000),
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
        labels: [prefix],
        updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60)),
      }),
    );
    process.stdout.write(`committed ${n}\n`);
  }
  store.close();
} else if (mode === 'pages') {
  const [prefix] = args;
  for (let page = 0; ; page++) {
    await store.batch(async () => {
      for (let n = 0; n < 20; n++) {
        const ref = createRef({ system: 'crash', workspace: prefix, id: `${page}-${n}` });
        await store.upsertIssue(
          createIssue({
            ref,
            title: `${prefix} page ${page} issue ${n}`,
            body: 'x'.repeat(2000),
            status: CanonicalStatus.TODO,
            issueType: CanonicalIssueType.TASK,
          }),
        );
        if (n === 0) {
          await store.putTombstone({
            ref,
            reason: 'deleted',
            movedTo: null,
            observedAt: new Date().toISOString(),
            origin: 'remote',
            pushed: true,
          });
        }
      }
      await store.putCheckpoint(`crash:${prefix}`, createCheckpoint({ cursor: String(page) }));
    });
    process.stdout.write(`page ${page}\n`);
  }
} else if (mode === 'enqueue') {
  const [binding] = args;
  for (let n = 0; ; n++) {
    const result = await store.enqueueDelivery({
      binding,
      deliveryId: `delivery-${n}`,
      vendorEvent: 'issues',
      events: [
        {
          eventId: `event-${n}`,
          eventType: 'updated',
          issueRef: createRef({ system: 'github', workspace: 'octo/hello', id: String(n) }),
          timestamp: new Date(Date.UTC(2026, 3, 1, 0, 0, 0, n % 1000)),
          payload: { n, body: 'x'.repeat(500) },
        },
      ],
      receivedAt: new Date(Date.UTC(2026, 3, 1) + n),
    });
    process.stdout.write(`queued ${n} ${result.id}\n`);
  }
} else if (mode === 'claim') {
  const [binding, leaseMs] = args;
  const claimed = await store.claimDeliveries({ binding, limit: 1000, leaseMs: Number(leaseMs) });
  process.stdout.write(`claimed ${claimed.map((delivery) => delivery.id).join(',')}\n`);
  setInterval(() => {}, 1000);
} else if (mode === 'drain') {
  const [binding, limit] = args;
  for (;;) {
    const claimed = await store.claimDeliveries({ binding, limit: Number(limit), leaseMs: 600_000 });
    if (claimed.length === 0) break;
    process.stdout.write(claimed.map((delivery) => `got ${delivery.id}\n`).join(''));
  }
  store.close();
} else if (mode === 'lock') {
  await store.acquireRunLock({ command: args[0] ?? 'sync' });
  process.stdout.write('locked\n');
  setInterval(() => {}, 1000);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
