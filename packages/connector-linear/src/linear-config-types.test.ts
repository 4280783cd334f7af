import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { LinearConnectorConfig, LinearConnectorConfigInput, linearConfigSchema } from './linear-config';
import type {
  LinearHostedParams,
  LinearHostedParamsInput,
  linearHostedParamsSchema,
} from './linear-definition';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('LinearConnector config types', () => {
  it('accept exactly what the config schema accepts', () => {
    expectTypeOf<v.InferInput<typeof linearConfigSchema>>().toEqualTypeOf<LinearConnectorConfigInput>();
  });

  // The validated config is a readonly view (some fields optional for hand-built configs): the
  // schema's output must fit it (the schema's `satisfies`) and both must have the same fields.
  it('has exactly the fields the config schema returns', () => {
    expectTypeOf<keyof v.InferOutput<typeof linearConfigSchema>>().toEqualTypeOf<
      keyof LinearConnectorConfig
    >();
  });

  it('are exactly what the hosted params schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof linearHostedParamsSchema>>().toEqualTypeOf<LinearHostedParamsInput>();
    expectTypeOf<v.InferOutput<typeof linearHostedParamsSchema>>().toEqualTypeOf<LinearHostedParams>();
  });
});
