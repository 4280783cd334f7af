import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { createRef } from '@spec-kitty/core';
import { API_KEY, connectorFor, startFake } from './test-helpers';

runConnectorConformance({
  name: 'LinearConnector against the Linear fake',
  workspace: 'linear',
  secrets: [API_KEY],
  missingRef: createRef({ system: 'linear', workspace: 'linear', id: 'ENG-999999' }),
  pageSize: 2,
  factory: async () => {
    const fake = await startFake();
    return {
      connector: connectorFor(fake),
      // Archiving, Linear's usual way out: the suite checks the reason is carried through.
      removeIssue: (ref) => {
        fake.state.archiveIssue(ref.id);
        return 'archived';
      },
      failReads: () =>
        fake.server.injectFault({ times: Number.POSITIVE_INFINITY, fault: { kind: 'status', status: 503 } }),
      cleanup: async () => {
        await fake.close();
        fake.server.assertNoViolations();
      },
    };
  },
});
