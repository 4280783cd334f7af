import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { AcmeConnector } from '../src/index.js';
import { startAcmeFake } from './acme-fake.js';

runConnectorConformance({
  name: 'AcmeConnector against the Acme fake',
  workspace: 'demo',
  secrets: ['test-token'],
  factory: async () => {
    const fake = await startAcmeFake();
    return {
      connector: new AcmeConnector({ baseUrl: fake.url, project: 'demo', token: 'test-token' }),
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
