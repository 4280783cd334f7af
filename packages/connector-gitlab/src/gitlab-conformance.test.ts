import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { createConnector } from '@spec-kitty/core';
import { GitLabFake } from '@spec-kitty/fake-trackers/gitlab';
import './index';

const TOKEN = 'glpat-conformance-secret';

runConnectorConformance({
  name: 'GitLabConnector against the GitLab fake',
  workspace: '42',
  secrets: [TOKEN],
  factory: async () => {
    // Real time on the fake clock, so the suite's updatedSince checks (±1 year from now) hold.
    const fake = await new GitLabFake({ token: TOKEN, startTime: new Date() }).start();
    fake.state.addProject({ id: 42, path: 'web' });
    const connector = createConnector('gitlab', { projectId: '42', token: TOKEN, baseUrl: fake.apiUrl });
    return {
      connector,
      removeIssue: (ref) => {
        fake.state.deleteIssue(42, Number(ref.id));
        return 'deleted';
      },
      failReads: () =>
        fake.injectFault({ times: Number.POSITIVE_INFINITY, fault: { kind: 'status', status: 503 } }),
      cleanup: async () => {
        const violations = [...fake.violations];
        await fake.close();
        if (violations.length > 0) throw new Error(`GitLab fake saw violations:\n${violations.join('\n')}`);
      },
    };
  },
});
