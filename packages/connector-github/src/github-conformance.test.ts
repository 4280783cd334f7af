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
      removeIssue: (ref) => {
        env.fake.deleteIssue(Number(ref.id));
        return 'deleted';
      },
      failReads: () =>
        env.fake.server.injectFault({
          times: Number.POSITIVE_INFINITY,
          fault: { kind: 'status', status: 503 },
        }),
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
