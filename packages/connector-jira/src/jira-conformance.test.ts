import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { JiraFake } from '@spec-kitty/fake-trackers/jira';
import { JiraConnector } from './jira-connector';

const TOKEN = 'conformance-api-token';

runConnectorConformance({
  name: 'JiraConnector against the Jira Cloud fake',
  workspace: 'dynamic',
  secrets: [TOKEN],
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
