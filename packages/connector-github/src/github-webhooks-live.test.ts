// Live deliveries: the connector changes issues on the GitHub fake, the fake POSTs signed
// deliveries to a loopback receiver, and `githubWebhooks` verifies and parses what arrived.
import { draftIssue } from '@spec-kitty/connector-testkit';
import { CanonicalStatus, createLink, createRef, LinkType, TrackerEventType } from '@spec-kitty/core';
import {
  type ReceivedWebhook,
  tamperedBody,
  verificationOutcome,
  webhookReceiverFixture,
} from '@spec-kitty/fake-trackers/webhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { githubWebhooks } from './github-webhooks';
import { type GitHubTestEnv, useGitHubEnvs } from './testing/github-test-env';

const SECRET = 'gh-hook-secret-5d1c';
const startEnv = useGitHubEnvs();
const hooks = webhookReceiverFixture();

let env: GitHubTestEnv;

beforeEach(async () => {
  env = await startEnv({ repos: [{ owner: 'octocat', name: 'elsewhere' }] });
  await hooks.subscribe(env.fake.webhooks, { secret: SECRET });
});

/** Every delivery received since `from`, verified with the secret and parsed. */
const eventsSince = (from: number) => hooks.deliveriesSince(from, githubWebhooks);

const ref = (id: string) => createRef({ system: 'github', workspace: 'octocat/hello-world', id });

describe('GitHub fake webhook deliveries', () => {
  it('sends signed issues / issue_comment deliveries the connector verifies and parses, for every kind of change', async () => {
    const created = await env.connector.createIssue(draftIssue({ title: 'Hooked', labels: ['bug'] }));
    expect(created.ref.id).toBe('1');
    const opened = await eventsSince(0);
    expect(opened.map(({ vendorEvent }) => vendorEvent)).toEqual(['issues']);
    expect(opened[0]?.events).toMatchObject([
      { eventType: TrackerEventType.CREATED, issueRef: { workspace: 'octocat/hello-world', id: '1' } },
    ]);

    let mark = hooks.receiver.received.length;
    await env.connector.updateIssue(ref('1'), { title: 'Hooked again', assignees: ['monalisa'] });
    const edits = await eventsSince(mark);
    expect(
      edits.flatMap(({ events }) => events.map((event) => [event.eventType, event.payload.action])),
    ).toEqual([
      [TrackerEventType.UPDATED, 'edited'],
      [TrackerEventType.UPDATED, 'assigned'],
    ]);

    mark = hooks.receiver.received.length;
    await env.connector.transitionIssue(ref('1'), CanonicalStatus.DONE);
    await env.connector.addComment(ref('1'), 'Shipped.');
    const later = await eventsSince(mark);
    expect(later.flatMap(({ events }) => events.map((event) => event.eventType))).toEqual([
      TrackerEventType.TRANSITIONED,
      TrackerEventType.COMMENT_ADDED,
    ]);
    const deliveries = env.fake.webhooks.deliveries();
    expect(deliveries.every((delivery) => delivery.status === 204 && delivery.error === null)).toBe(true);
    // The delivery id the receiver saw is the one the parser reports.
    const last = hooks.receiver.received.at(-1) as ReceivedWebhook;
    expect(githubWebhooks.parse(last).deliveryId).toBe(deliveries.at(-1)?.id);
  });

  it('reports a deleted and a transferred issue as deletions, and a sub-issue as a link change on both ends', async () => {
    env.fake.seedIssue({ title: 'parent' });
    env.fake.seedIssue({ title: 'child' });
    env.fake.seedIssue({ title: 'moving' });
    const mark = hooks.receiver.received.length;
    await env.connector.upsertLink(ref('2'), createLink({ type: LinkType.CHILD_OF, target: ref('1') }));
    env.fake.deleteIssue(1);
    env.fake.transferIssue(3, { owner: 'octocat', repo: 'elsewhere' });
    const got = await eventsSince(mark);
    const flat = got.flatMap(({ events }) => events.map((event) => [event.eventType, event.issueRef.id]));
    expect(flat).toContainEqual([TrackerEventType.LINK_UPSERTED, '1']);
    expect(flat).toContainEqual([TrackerEventType.LINK_UPSERTED, '2']);
    expect(flat.slice(-2)).toEqual([
      [TrackerEventType.DELETED, '1'],
      [TrackerEventType.DELETED, '3'],
    ]);
  });

  it('a forged or altered delivery, or one signed with another secret, fails verification', async () => {
    env.fake.seedIssue({ title: 'target' });
    await env.fake.webhooks.idle();
    const genuine = hooks.receiver.received[0] as ReceivedWebhook;
    expect(() => githubWebhooks.verify(genuine, SECRET)).not.toThrow();
    const altered = tamperedBody(genuine, 'target', 'forged');
    const reasons = [
      () => githubWebhooks.verify(altered, SECRET),
      () => githubWebhooks.verify(genuine, 'another-secret'),
    ].map(verificationOutcome);
    expect(reasons).toEqual(['signature_mismatch', 'signature_mismatch']);
  });

  it('sends only subscribed events, records a refusing receiver, and stops after unsubscribe', async () => {
    const refusing = await hooks.start({ status: 500 });
    const only = env.fake.webhooks.subscribe({
      url: refusing.url,
      secret: SECRET,
      events: ['issue_comment'],
    });
    const issue = env.fake.seedIssue({ title: 'quiet' });
    await env.connector.addComment(ref(String(issue.number)), 'loud');
    await env.fake.webhooks.idle();
    expect(refusing.received.map((request) => request.headers['x-github-event'])).toEqual(['issue_comment']);
    const refused = env.fake.webhooks.deliveries().filter((delivery) => delivery.url === refusing.url);
    expect(refused).toMatchObject([{ status: 500, error: null, attempts: 1 }]);
    only.unsubscribe();
    await env.connector.addComment(ref(String(issue.number)), 'again');
    await env.fake.webhooks.idle();
    expect(refusing.received).toHaveLength(1);
  });
});
