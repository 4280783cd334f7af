// Live deliveries: the connector changes work items on the Azure DevOps fake, the fake POSTs
// service hook deliveries to a loopback receiver, and the connector's webhooks verify and parse them.
import { draftIssue } from '@spec-kitty/connector-testkit';
import { CanonicalStatus, createLink, createRef, LinkType, TrackerEventType } from '@spec-kitty/core';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import {
  type ReceivedWebhook,
  verificationOutcome,
  webhookReceiverFixture,
} from '@spec-kitty/fake-trackers/webhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsConnector } from './azure-connector';
import { azureWebhooks, createAzureWebhooks } from './azure-webhooks';

const PAT = 'ado-pat-secret';
const SECRET = 'hookuser:hook-password-4c2e';
const track = useFakes();
const hooks = webhookReceiverFixture();

let fake: AzureDevOpsFake;
let connector: AzureDevOpsConnector;

beforeEach(async () => {
  fake = await track(new AzureDevOpsFake({ personalAccessToken: PAT }).start());
  fake.state.addProject('Web');
  fake.state.addProject('Mobile');
  connector = new AzureDevOpsConnector({
    organization: 'fabrikam',
    project: 'Web',
    personalAccessToken: PAT,
    baseUrl: fake.url,
  });
  // A subscription filtered to project Web, with Basic credentials.
  await hooks.subscribe(fake.webhooks, { secret: SECRET, scope: 'Web' });
});

/** Every delivery received since `from`, verified and parsed (the workspace comes from the payload). */
const eventsSince = (from: number) => hooks.eventsSince(from, azureWebhooks);

const ref = (id: string) => createRef({ system: 'azure_devops', workspace: 'fabrikam/Web', id });

describe('Azure DevOps fake service hook deliveries', () => {
  it('sends workitem.* deliveries the connector verifies and parses, for every kind of change', async () => {
    const created = await connector.createIssue(draftIssue({ title: 'Hooked', labels: ['bug'] }));
    expect(
      (await eventsSince(0)).map((event) => [event.eventType, event.issueRef.workspace, event.issueRef.id]),
    ).toEqual([[TrackerEventType.CREATED, 'fabrikam/Web', created.ref.id]]);
    let mark = hooks.receiver.received.length;
    await connector.updateIssue(ref(created.ref.id), { title: 'Hooked again' });
    await connector.transitionIssue(ref(created.ref.id), CanonicalStatus.DONE);
    await connector.addComment(ref(created.ref.id), 'Shipped.');
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.payload.vendorEvent])).toEqual([
      [TrackerEventType.UPDATED, 'workitem.updated'],
      [TrackerEventType.TRANSITIONED, 'workitem.updated'],
      [TrackerEventType.COMMENT_ADDED, 'workitem.commented'],
    ]);
    const update = JSON.parse((hooks.receiver.received[mark] as ReceivedWebhook).rawBody.toString());
    expect(update.resource.fields['System.Title']).toEqual({ oldValue: 'Hooked', newValue: 'Hooked again' });
    expect(azureWebhooks.parse(hooks.receiver.received.at(-1) as ReceivedWebhook).deliveryId).toBe(
      fake.webhooks.deliveries().at(-1)?.id,
    );

    // A link changes both work items: each gets an update.
    const other = fake.state.addWorkItem('Web', 'Task', { 'System.Title': 'parent' });
    await fake.webhooks.idle();
    mark = hooks.receiver.received.length;
    await connector.upsertLink(
      ref(created.ref.id),
      createLink({ type: LinkType.CHILD_OF, target: ref(String(other.id)) }),
    );
    const links = await eventsSince(mark);
    expect(links.map((event) => event.issueRef.id).sort()).toEqual([created.ref.id, String(other.id)].sort());
  });

  it('reports a deleted work item as a deletion and sends nothing for other projects', async () => {
    const doomed = fake.state.addWorkItem('Web', 'Task', { 'System.Title': 'doomed' });
    fake.state.addWorkItem('Mobile', 'Task', { 'System.Title': 'elsewhere' });
    await fake.webhooks.idle();
    const mark = hooks.receiver.received.length;
    fake.state.deleteWorkItem(doomed.id);
    expect((await eventsSince(mark)).map((event) => [event.eventType, event.issueRef.id])).toEqual([
      [TrackerEventType.DELETED, String(doomed.id)],
    ]);
    expect(hooks.receiver.received).toHaveLength(2);
  });

  it('checks Basic credentials or a custom header, and rejects others', async () => {
    const headerReceiver = await hooks.start();
    fake.webhooks.subscribe({
      url: headerReceiver.url,
      secret: 'header-secret-9',
      header: 'X-Hook-Secret',
      scope: 'Web',
    });
    fake.state.addWorkItem('Web', 'Task', { 'System.Title': 'target' });
    await fake.webhooks.idle();
    const basic = hooks.receiver.received[0] as ReceivedWebhook;
    const header = headerReceiver.received[0] as ReceivedWebhook;
    const byHeader = createAzureWebhooks({ kind: 'header', header: 'X-Hook-Secret' });
    expect(() => azureWebhooks.verify(basic, SECRET)).not.toThrow();
    expect(() => byHeader.verify(header, 'header-secret-9')).not.toThrow();
    const reasons = [
      () => azureWebhooks.verify(basic, 'hookuser:wrong'),
      () => azureWebhooks.verify(header, SECRET),
      () => byHeader.verify(header, 'another'),
    ].map(verificationOutcome);
    expect(reasons).toEqual(['signature_mismatch', 'missing_signature', 'signature_mismatch']);
  });
});
