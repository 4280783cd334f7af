// The golden subjects: the reference connector and store must pass their own kits.

import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { createRef, InMemoryIssueStore } from '@spec-kitty/core';
import { runConnectorConformance } from './connector-conformance';
import { runIssueStoreConformance } from './issue-store-conformance';

runIssueStoreConformance({
  name: 'InMemoryIssueStore',
  factory: () => ({ store: new InMemoryIssueStore() }),
  requireSyncBase: true,
  requireCheckpoints: true,
  requireTombstones: true,
});

runConnectorConformance({
  name: 'InMemoryConnector',
  factory: () => ({ connector: new InMemoryConnector({ name: 'memory', workspace: 'conformance' }) }),
  workspace: 'conformance',
  missingRef: createRef({ system: 'memory', workspace: 'conformance', id: 'nope' }),
});
