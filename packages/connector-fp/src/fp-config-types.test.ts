import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { FPConnectorConfig, FPConnectorConfigInput, fpConfigSchema } from './fp-config';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('FPConnector config types', () => {
  it('are exactly what the config schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof fpConfigSchema>>().toEqualTypeOf<FPConnectorConfigInput>();
    expectTypeOf<v.InferOutput<typeof fpConfigSchema>>().toEqualTypeOf<FPConnectorConfig>();
  });
});
