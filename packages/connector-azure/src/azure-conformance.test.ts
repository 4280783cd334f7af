import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { createConnector } from '@spec-kitty/core';
import { AzureDevOpsFake } from '@spec-kitty/fake-trackers/azure';
import './index';

const PAT = 'ado-conformance-pat';

runConnectorConformance({
  name: 'AzureDevOpsConnector against the Azure DevOps fake',
  workspace: 'fabrikam/Web',
  secrets: [PAT, Buffer.from(`:${PAT}`).toString('base64')],
  factory: async () => {
    const fake = await new AzureDevOpsFake({ personalAccessToken: PAT, startTime: new Date() }).start();
    fake.state.addProject('Web');
    const connector = createConnector('azure_devops', {
      organization: 'fabrikam',
      project: 'Web',
      personalAccessToken: PAT,
      baseUrl: fake.url,
    });
    return {
      connector,
      removeIssue: (ref) => {
        fake.state.deleteWorkItem(Number(ref.id));
        return 'deleted';
      },
      failReads: () =>
        fake.injectFault({ times: Number.POSITIVE_INFINITY, fault: { kind: 'status', status: 503 } }),
      cleanup: async () => {
        const violations = [...fake.violations];
        await fake.close();
        if (violations.length > 0)
          throw new Error(`Azure DevOps fake saw violations:\n${violations.join('\n')}`);
      },
    };
  },
});
