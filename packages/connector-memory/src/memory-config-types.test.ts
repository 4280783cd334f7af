import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  InMemoryConnectorConfig,
  InMemoryConnectorConfigInput,
  memoryConfigSchema,
} from './memory-config';

// Checked by `tsc` (`pnpm typecheck`): the documented interfaces cannot drift from the schemas.
describe('InMemoryConnector config types', () => {
  it('are exactly what the config schema accepts and returns', () => {
    expectTypeOf<v.InferInput<typeof memoryConfigSchema>>().toEqualTypeOf<InMemoryConnectorConfigInput>();
    expectTypeOf<v.InferOutput<typeof memoryConfigSchema>>().toEqualTypeOf<InMemoryConnectorConfig>();
  });
});
