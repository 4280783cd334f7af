import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { GitHubConnectorConfig, GitHubConnectorConfigInput, githubConfigSchema } from './github-config';
import type { GitHubHostedParams, GitHubHostedParamsInput, githubHostedParamsSchema } from './github-hosted';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('GitHubConnector config types', () => {
  it('are exactly what the config schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof githubConfigSchema>>().toEqualTypeOf<GitHubConnectorConfigInput>();
    expectTypeOf<v.InferOutput<typeof githubConfigSchema>>().toEqualTypeOf<GitHubConnectorConfig>();
  });

  it('are exactly what the hosted params schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof githubHostedParamsSchema>>().toEqualTypeOf<GitHubHostedParamsInput>();
    expectTypeOf<v.InferOutput<typeof githubHostedParamsSchema>>().toEqualTypeOf<GitHubHostedParams>();
  });
});
