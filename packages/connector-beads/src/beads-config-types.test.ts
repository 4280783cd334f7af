import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { BeadsConnectorConfig, BeadsConnectorConfigInput, beadsConfigSchema } from './beads-config';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('BeadsConnector config types', () => {
  it('are exactly what the config schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof beadsConfigSchema>>().toEqualTypeOf<BeadsConnectorConfigInput>();
    expectTypeOf<v.InferOutput<typeof beadsConfigSchema>>().toEqualTypeOf<BeadsConnectorConfig>();
  });
});
