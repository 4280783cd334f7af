import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { JiraConnector } from './jira-connector';

const TOKEN = 'conformance-api-token';

runConnectorConformance({
  name: 'JiraConnector against the Jira Cloud fake',
  workspace: 'dynamic',
  secrets: [TOKEN],
  skip: {
    projectIssue:
      "workflow-dependent: the fake's workflow has no In Review status, and the projection assumes the status names (statusNameMap or defaults) are reachable (README, Behaviour)",
  },
  factory: async () => {
    const fake = await new JiraFake({ email: 'c@example.com', apiToken: TOKEN }).start();
    const connector = new JiraConnector({
      baseUrl: fake.url,
      email: 'c@example.com',
      apiToken: TOKEN,
      projectKey: 'PROJ',
      defaultIssueType: 'Task',
      statusNameMap: {},
      specKittyMissionFieldId: null,
      specKittyMissionFieldName: 'Spec Kitty Mission',
    });
    return {
      connector,
      removeIssue: (ref) => {
        fake.state.deleteIssue(ref.key ?? ref.id);
        return 'deleted';
      },
      failReads: () =>
        fake.injectFault({ times: Number.POSITIVE_INFINITY, fault: { kind: 'status', status: 503 } }),
      cleanup: async () => {
        try {
          fake.assertNoViolations();
        } finally {
          await fake.close();
        }
      },
    };
  },
});
