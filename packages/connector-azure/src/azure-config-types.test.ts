import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AzureDevOpsConnectorConfig,
  AzureDevOpsConnectorConfigInput,
  azureConfigSchema,
} from './azure-config';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('AzureDevOpsConnector config types', () => {
  it('accept exactly what the config schema accepts', () => {
    expectTypeOf<v.InferInput<typeof azureConfigSchema>>().toEqualTypeOf<AzureDevOpsConnectorConfigInput>();
  });

  // The validated config is a readonly view (some fields optional for hand-built configs): the
  // schema's output must fit it (the schema's `satisfies`) and both must have the same fields.
  it('has exactly the fields the config schema returns', () => {
    expectTypeOf<keyof v.InferOutput<typeof azureConfigSchema>>().toEqualTypeOf<
      keyof AzureDevOpsConnectorConfig
    >();
  });
});
