// Live deliveries: the connector changes issues on the GitLab fake, the fake POSTs the project's
// webhook deliveries to a loopback receiver, and `gitlabWebhooks` verifies and parses what arrived.
import { draftIssue } from '@spec-kitty/connector-testkit';
import { CanonicalStatus, createRef, TrackerEventType } from '@spec-kitty/core';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import {
  type ReceivedWebhook,
  verificationOutcome,
  webhookReceiverFixture,
} from '@spec-kitty/fake-trackers/webhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { GitLabConnector } from './gitlab-connector';
import { gitlabWebhooks } from './gitlab-webhooks';

const TOKEN = 'glpat-secret-token';
const SECRET = 'gl-hook-token-93e0';
const track = useFakes();
const hooks = webhookReceiverFixture();

let fake: GitLabFake;
let connector: GitLabConnector;

beforeEach(async () => {
  fake = await track(new GitLabFake({ token: TOKEN }).start());
  const group = fake.state.addGroup({ id: 5, path: 'acme' });
  fake.state.addProject({ id: 42, path: 'web', groupId: group.id });
  fake.state.addProject({ id: 43, path: 'api', groupId: group.id });
  fake.state.addUser({ id: 7, username: 'alice' });
  connector = new GitLabConnector({ projectId: '42', token: TOKEN, baseUrl: fake.apiUrl });
  // A project hook: changes in project 43 are not delivered to it.
  await hooks.subscribe(fake.webhooks, { secret: SECRET, scope: '42' });
});

/** Every delivery received since `from`, verified with the secret and parsed for binding `42`. */
const eventsSince = (from: number) => hooks.eventsSince(from, gitlabWebhooks, { workspace: '42' });

const ref = (id: string) => createRef({ system: 'gitlab', workspace: '42', id });

describe('GitLab fake webhook deliveries', () => {
  it('sends Issue Hook / Note Hook deliveries the connector verifies and parses, for every kind of change', async () => {
    const created = await connector.createIssue(draftIssue({ title: 'Hooked', labels: ['bug'] }));
    expect((await eventsSince(0)).map((event) => [event.eventType, event.issueRef.id])).toEqual([
      [TrackerEventType.CREATED, created.ref.id],
    ]);
    let mark = hooks.receiver.received.length;
    await connector.updateIssue(ref('1'), { title: 'Hooked again', assignees: ['alice'] });
    await connector.transitionIssue(ref('1'), CanonicalStatus.DONE);
    await connector.transitionIssue(ref('1'), CanonicalStatus.TODO);
    await connector.addComment(ref('1'), 'Shipped.');
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.payload.action])).toEqual([
      [TrackerEventType.UPDATED, 'update'],
      [TrackerEventType.TRANSITIONED, 'close'],
      [TrackerEventType.TRANSITIONED, 'reopen'],
      [TrackerEventType.COMMENT_ADDED, 'create'],
    ]);
    // The update delivery carries GitLab's previous/current changes.
    const update = JSON.parse((hooks.receiver.received[mark] as ReceivedWebhook).rawBody.toString());
    expect(update.changes.title).toEqual({ previous: 'Hooked', current: 'Hooked again' });
    expect(update.changes.assignees.current).toMatchObject([{ id: 7, username: 'alice' }]);
    // The delivery id is the Idempotency-Key; every delivery was answered.
    const deliveries = fake.webhooks.deliveries();
    expect(gitlabWebhooks.parse(hooks.receiver.received.at(-1) as ReceivedWebhook).deliveryId).toBe(
      deliveries.at(-1)?.id,
    );
    expect(deliveries.map((delivery) => delivery.status)).toEqual([204, 204, 204, 204, 204]);

    mark = hooks.receiver.received.length;
    fake.state.addIssue(43, { title: 'elsewhere' });
    fake.state.moveIssue(42, 1, 43);
    // The move closes the original with moved_to_id: it left project 42. The copy opens in 43,
    // whose hooks this project hook is not.
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.issueRef.id])).toEqual([
      [TrackerEventType.DELETED, '1'],
    ]);
  });

  it('sends nothing for a deletion (GitLab has no such webhook)', async () => {
    fake.state.addIssue(42, { title: 'doomed' });
    await fake.webhooks.idle();
    const mark = hooks.receiver.received.length;
    fake.state.deleteIssue(42, 1);
    expect(await eventsSince(mark)).toEqual([]);
  });

  it('rejects a delivery with another or no token', async () => {
    fake.state.addIssue(42, { title: 'target' });
    await fake.webhooks.idle();
    const genuine = hooks.receiver.received[0] as ReceivedWebhook;
    expect(() => gitlabWebhooks.verify(genuine, SECRET)).not.toThrow();
    const reasons = [
      () => gitlabWebhooks.verify(genuine, 'another-token'),
      () =>
        gitlabWebhooks.verify(
          { ...genuine, headers: { ...genuine.headers, 'x-gitlab-token': undefined } },
          SECRET,
        ),
    ].map(verificationOutcome);
    expect(reasons).toEqual(['signature_mismatch', 'missing_signature']);
    expect(genuine.headers['x-gitlab-event-uuid']).toBeTruthy();
    expect(genuine.headers['idempotency-key']).toBe(fake.webhooks.deliveries()[0]?.id);
  });
});
