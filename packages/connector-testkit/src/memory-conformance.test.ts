// The golden subjects: the reference connector and store must pass their own kits.

import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { createRef, InMemoryIssueStore, InMemoryWebhookInbox } from '@spec-kitty/core';
import { runConnectorConformance } from './connector-conformance';
import { runIssueStoreConformance } from './issue-store-conformance';
import { runWebhookInboxConformance } from './webhook-inbox-conformance';

runIssueStoreConformance({
  name: 'InMemoryIssueStore',
  factory: () => ({ store: new InMemoryIssueStore() }),
  requireSyncBase: true,
  requireCheckpoints: true,
  requireTombstones: true,
});

runWebhookInboxConformance('InMemoryWebhookInbox', () => ({ inbox: new InMemoryWebhookInbox() }));

runConnectorConformance({
  name: 'InMemoryConnector',
  factory: () => {
    const connector = new InMemoryConnector({ name: 'memory', workspace: 'conformance' });
    return {
      connector,
      // A non-default reason, so the suite checks the reason is carried through.
      removeIssue: (ref) => {
        connector.remove(ref, { reason: 'archived' });
        return 'archived';
      },
    };
  },
  workspace: 'conformance',
  missingRef: createRef({ system: 'memory', workspace: 'conformance', id: 'nope' }),
});
