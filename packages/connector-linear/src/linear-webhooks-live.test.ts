// Live deliveries: the connector changes issues on the Linear fake, the fake POSTs signed
// data-change webhooks to a loopback receiver, and `linearWebhooks` verifies and parses them.
import { CanonicalStatus, createRef, TrackerEventType } from '@spec-kitty/core';
import type { LinearFake } from '@spec-kitty/fake-trackers/linear';
import {
  type ReceivedWebhook,
  tamperedBody,
  verificationOutcome,
  webhookReceiverFixture,
} from '@spec-kitty/fake-trackers/webhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linearWebhooks } from './linear-webhooks';
import { connectorFor, localIssue, startFake } from './test-helpers';

const SECRET = 'lin_wh_signing_secret_0a9b';
const hooks = webhookReceiverFixture();

let fake: LinearFake;

beforeEach(async () => {
  fake = await startFake();
  // A team webhook: changes in other teams are not delivered to it.
  await hooks.subscribe(fake.webhooks, { secret: SECRET, scope: fake.state.defaultTeam.id });
});

afterEach(async () => {
  try {
    fake.server.assertNoViolations();
  } finally {
    await fake.close();
  }
});

/** Every delivery received since `from`, verified (signature and timestamp) and parsed. */
const eventsSince = (from: number) => hooks.eventsSince(from, linearWebhooks, { workspace: 'linear' });

const ref = (id: string) => createRef({ system: 'linear', workspace: 'linear', id });

describe('Linear fake webhook deliveries', () => {
  it('sends signed Issue / Comment deliveries the connector verifies and parses, for every kind of change', async () => {
    const connector = connectorFor(fake);
    const created = await connector.createIssue(localIssue('L1', { title: 'Hooked', labels: ['bug'] }));
    expect(
      (await eventsSince(0)).map((event) => [event.eventType, event.issueRef.id, event.issueRef.key]),
    ).toEqual([[TrackerEventType.CREATED, created.ref.id, 'ENG-1']]);
    let mark = hooks.receiver.received.length;
    await connector.updateIssue(ref(created.ref.id), { title: 'Hooked again' });
    await connector.transitionIssue(ref(created.ref.id), CanonicalStatus.DONE);
    await connector.addComment(ref(created.ref.id), 'Shipped.');
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.payload.action])).toEqual([
      [TrackerEventType.UPDATED, 'update'],
      [TrackerEventType.TRANSITIONED, 'update'],
      [TrackerEventType.COMMENT_ADDED, 'create'],
    ]);
    const update = JSON.parse((hooks.receiver.received[mark] as ReceivedWebhook).rawBody.toString());
    expect(update.updatedFrom).toMatchObject({ title: 'Hooked' });
    expect(hooks.receiver.received[mark]?.headers['linear-event']).toBe('Issue');
    const deliveries = fake.webhooks.deliveries();
    expect(linearWebhooks.parse(hooks.receiver.received.at(-1) as ReceivedWebhook).deliveryId).toBe(
      deliveries.at(-1)?.id,
    );

    mark = hooks.receiver.received.length;
    const other = fake.state.addTeam({ key: 'OPS', name: 'Operations' });
    fake.state.addIssue({ teamId: other.id, title: 'not ours' });
    fake.state.archiveIssue(created.ref.id);
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.issueRef.id])).toEqual([
      [TrackerEventType.DELETED, created.ref.id],
    ]);
  });

  it('reports a trashed and a permanently deleted issue as deletions', async () => {
    const teamId = fake.state.defaultTeam.id;
    const trashed = fake.state.addIssue({ teamId, title: 'trashed' });
    const purged = fake.state.addIssue({ teamId, title: 'purged' });
    await fake.webhooks.idle();
    const mark = hooks.receiver.received.length;
    fake.state.archiveIssue(trashed.id, { trash: true });
    fake.state.purgeIssue(purged.id);
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.issueRef.id])).toEqual([
      [TrackerEventType.DELETED, trashed.id],
      [TrackerEventType.DELETED, purged.id],
    ]);
  });

  it('rejects a forged body, another secret and a replayed (stale) delivery', async () => {
    fake.state.addIssue({ teamId: fake.state.defaultTeam.id, title: 'target' });
    await fake.webhooks.idle();
    const genuine = hooks.receiver.received[0] as ReceivedWebhook;
    const altered = tamperedBody(genuine, 'target', 'forged');
    const reasons = [
      () => linearWebhooks.verify(altered, SECRET),
      () => linearWebhooks.verify(genuine, 'another-secret'),
      () => linearWebhooks.verify(genuine, SECRET, { now: new Date(Date.now() + 5 * 60_000) }),
    ].map(verificationOutcome);
    expect(reasons).toEqual(['signature_mismatch', 'signature_mismatch', 'stale']);
  });
});
