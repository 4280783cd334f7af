import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { JiraConnectorConfig, JiraConnectorConfigInput, jiraConfigSchema } from './jira-config';
import type { JiraHostedParams, JiraHostedParamsInput, jiraHostedParamsSchema } from './jira-definition';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('JiraConnector config types', () => {
  it('are exactly what the config schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof jiraConfigSchema>>().toEqualTypeOf<JiraConnectorConfigInput>();
    expectTypeOf<v.InferOutput<typeof jiraConfigSchema>>().toEqualTypeOf<JiraConnectorConfig>();
  });

  it('are exactly what the hosted params schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof jiraHostedParamsSchema>>().toEqualTypeOf<JiraHostedParamsInput>();
    expectTypeOf<v.InferOutput<typeof jiraHostedParamsSchema>>().toEqualTypeOf<JiraHostedParams>();
  });
});
