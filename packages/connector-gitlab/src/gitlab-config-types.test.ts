import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { GitLabConnectorConfig, GitLabConnectorConfigInput, gitLabConfigSchema } from './gitlab-config';
import type {
  GitLabHostedParams,
  GitLabHostedParamsInput,
  gitLabHostedParamsSchema,
} from './gitlab-definition';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('GitLabConnector config types', () => {
  it('are exactly what the config schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof gitLabConfigSchema>>().toEqualTypeOf<GitLabConnectorConfigInput>();
    expectTypeOf<v.InferOutput<typeof gitLabConfigSchema>>().toEqualTypeOf<GitLabConnectorConfig>();
  });

  it('are exactly what the hosted params schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof gitLabHostedParamsSchema>>().toEqualTypeOf<GitLabHostedParamsInput>();
    expectTypeOf<v.InferOutput<typeof gitLabHostedParamsSchema>>().toEqualTypeOf<GitLabHostedParams>();
  });
});
