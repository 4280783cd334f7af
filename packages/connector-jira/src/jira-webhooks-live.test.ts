// Live deliveries: the connector changes issues on the Jira fake, the fake POSTs signed admin
// webhook deliveries to a loopback receiver, and `jiraWebhooks` verifies and parses what arrived.
import { draftIssue } from '@spec-kitty/connector-testkit';
import {
  CanonicalStatus,
  createLink,
  createRef,
  type ExternalRef,
  LinkType,
  TrackerEventType,
} from '@spec-kitty/core';
import type { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import {
  type ReceivedWebhook,
  tamperedBody,
  verificationOutcome,
  webhookReceiverFixture,
} from '@spec-kitty/fake-trackers/webhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { JiraConnector } from './jira-connector';
import { jiraWebhooks } from './jira-webhooks';
import { TEST_EMAIL as EMAIL, TEST_TOKEN as TOKEN, twoProjectFake } from './test-helpers';

const SECRET = 'jira-admin-hook-secret-71f2';
const track = useFakes();
const hooks = webhookReceiverFixture();

let fake: JiraFake;
let jira: JiraConnector;

beforeEach(async () => {
  fake = await track(twoProjectFake().start());
  jira = new JiraConnector({ baseUrl: fake.url, email: EMAIL, apiToken: TOKEN, projectKey: 'PROJ' });
  // An admin webhook filtered to project PROJ (as a JQL filter "project = PROJ" would).
  await hooks.subscribe(fake.webhooks, { secret: SECRET, scope: 'PROJ' });
});

/** Every delivery received since `from`, verified and parsed for the binding. */
const eventsSince = (from: number) => hooks.eventsSince(from, jiraWebhooks, { workspace: jira.workspace });

const ref = (issue: { id: string; key: string }): ExternalRef =>
  createRef({ system: 'jira', workspace: jira.workspace, id: issue.id, key: issue.key });

describe('Jira fake webhook deliveries', () => {
  it('sends signed issue / comment / issuelink deliveries the connector verifies and parses', async () => {
    const created = await jira.createIssue(draftIssue({ title: 'Hooked', labels: ['bug'] }));
    await fake.webhooks.idle();
    // The created delivery shows the finished issue, and its self link names the binding's site.
    const first = hooks.receiver.received[0] as ReceivedWebhook;
    expect(JSON.parse(first.rawBody.toString()).issue.fields.labels).toContain('bug');
    jiraWebhooks.verify(first, SECRET);
    expect(jiraWebhooks.parse(first).events[0]?.issueRef).toMatchObject({
      workspace: jira.workspace,
      id: created.ref.id,
      key: created.ref.key,
    });
    expect((await eventsSince(0)).map((event) => event.eventType)).toEqual([TrackerEventType.CREATED]);

    let mark = hooks.receiver.received.length;
    const issue = { id: created.ref.id, key: created.ref.key ?? '' };
    await jira.updateIssue(ref(issue), { title: 'Hooked again' });
    await jira.transitionIssue(ref(issue), CanonicalStatus.DONE);
    await jira.addComment(ref(issue), 'Shipped.');
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.payload.vendorEvent])).toEqual([
      [TrackerEventType.UPDATED, 'jira:issue_updated'],
      [TrackerEventType.TRANSITIONED, 'jira:issue_updated'],
      [TrackerEventType.COMMENT_ADDED, 'comment_created'],
    ]);
    const update = JSON.parse((hooks.receiver.received[mark] as ReceivedWebhook).rawBody.toString());
    expect(update.changelog.items).toMatchObject([
      { field: 'summary', fromString: 'Hooked', toString: 'Hooked again' },
    ]);

    const other = fake.state.seedIssue({ summary: 'blocker' });
    await fake.webhooks.idle();
    mark = hooks.receiver.received.length;
    await jira.upsertLink(ref(issue), createLink({ type: LinkType.BLOCKED_BY, target: ref(other) }));
    const links = await eventsSince(mark);
    expect(links.map((event) => event.eventType)).toEqual([
      TrackerEventType.LINK_UPSERTED,
      TrackerEventType.LINK_UPSERTED,
    ]);
    expect(links.map((event) => event.issueRef.id).sort()).toEqual([issue.id, other.id].sort());
    const deliveries = fake.webhooks.deliveries();
    expect(
      jiraWebhooks.parse(hooks.receiver.received.at(-1) as ReceivedWebhook, { workspace: jira.workspace })
        .deliveryId,
    ).toBe(deliveries.at(-1)?.id);
  });

  it('reports a deleted issue as a deletion and sends nothing for other projects', async () => {
    const doomed = fake.state.seedIssue({ summary: 'doomed' });
    fake.state.seedIssue({ summary: 'elsewhere', projectKey: 'OTHER' });
    await fake.webhooks.idle();
    const mark = hooks.receiver.received.length;
    fake.state.deleteIssue(doomed.key);
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.issueRef.key])).toEqual([
      [TrackerEventType.DELETED, doomed.key],
    ]);
    expect(hooks.receiver.received).toHaveLength(2);
  });

  it('rejects a forged body and another secret', async () => {
    fake.state.seedIssue({ summary: 'target' });
    await fake.webhooks.idle();
    const genuine = hooks.receiver.received[0] as ReceivedWebhook;
    const altered = tamperedBody(genuine, 'target', 'forged');
    const reasons = [
      () => jiraWebhooks.verify(altered, SECRET),
      () => jiraWebhooks.verify(genuine, 'another-secret'),
    ].map(verificationOutcome);
    expect(reasons).toEqual(['signature_mismatch', 'signature_mismatch']);
  });
});
