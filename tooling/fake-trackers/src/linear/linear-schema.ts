import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { sharedSpecPath } from '../server/shared-specs';

let cached: GraphQLSchema | null = null;

/** Path of Linear's published SDL (`shared/specs/linear/schema.graphql`), or null when absent. */
export function linearSchemaPath(): string | null {
  return sharedSpecPath('linear/schema.graphql');
}

/**
 * Linear's real GraphQL schema, built once per process (about 0.4 s for the 1.2 MB SDL).
 * Throws with a clear message when the shared spec is absent; callers that can run without it
 * should check `linearSchemaPath()` first and skip.
 */
export function loadLinearSchema(): GraphQLSchema {
  if (cached) return cached;
  const path = linearSchemaPath();
  if (!path) {
    throw new Error(
      'Linear schema not found: expected shared/specs/linear/schema.graphql beside the repository ' +
        '(or under $SPEC_KITTY_SHARED_DIR/specs). The Linear fake validates every request against it.',
    );
  }
  cached = buildSchema(readFileSync(path, 'utf8'));
  return cached;
}
