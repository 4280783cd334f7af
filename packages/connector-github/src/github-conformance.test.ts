// The shared conformance suite, run against the GitHub fake (every request checked against
// GitHub's OpenAPI document).
import { runConnectorConformance } from '@spec-kitty/connector-testkit';
import { startGitHubEnv, TOKEN } from './testing/github-test-env';

runConnectorConformance({
  name: 'GitHubConnector against the GitHub fake',
  workspace: 'octocat/hello-world',
  secrets: [TOKEN],
  factory: async () => {
    const env = await startGitHubEnv();
    return {
      connector: env.connector,
      cleanup: async () => {
        try {
          env.fake.assertNoViolations();
        } finally {
          await env.fake.close();
        }
      },
    };
  },
});
