// Linear's error answers (HTTP 400 with a GraphQL `errors` list), one builder per kind.
import type { GraphQLError } from 'graphql';

/** `{ errors }`, the body of every error answer. */
export function errorBody(errors: readonly object[]): { errors: readonly object[] } {
  return { errors };
}

/** No or an unknown `Authorization` value. */
export function authenticationErrorBody(): { errors: readonly object[] } {
  return errorBody([
    {
      message: 'Authentication required, not authenticated',
      extensions: {
        type: 'authentication error',
        code: 'AUTHENTICATION_ERROR',
        statusCode: 401,
        userError: true,
        userPresentableMessage: 'You need to authenticate to access this operation.',
      },
    },
  ]);
}

/** The document does not validate against the schema. */
export function validationErrorBody(errors: readonly GraphQLError[]): { errors: readonly object[] } {
  return errorBody(
    errors.map((error) => ({
      message: error.message,
      locations: error.locations,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', type: 'graphql error', userError: true },
    })),
  );
}

/** Variable coercion failed (wrong type, missing required input field…): a request error. */
export function badUserInputBody(errors: readonly GraphQLError[]): { errors: readonly object[] } {
  return errorBody(
    errors.map((error) => ({
      message: error.message,
      locations: error.locations,
      extensions: { code: 'BAD_USER_INPUT', type: 'graphql error', userError: true },
    })),
  );
}

/** The request or complexity budget ran out (`RATELIMITED`). */
export function rateLimitedBody(kind: 'requests' | 'complexity'): { errors: readonly object[] } {
  return errorBody([
    {
      message: kind === 'complexity' ? 'Complexity limit exceeded' : 'Rate limit exceeded',
      extensions: {
        type: 'ratelimited',
        code: 'RATELIMITED',
        statusCode: 429,
        userError: true,
        userPresentableMessage: 'You have exceeded the rate limit. Please try again later.',
      },
    },
  ]);
}

/** One query's complexity is over the cap. */
export function tooComplexBody(complexity: number, maxComplexity: number): { errors: readonly object[] } {
  return errorBody([
    {
      message: `Query too complex: complexity ${complexity} exceeds the maximum of ${maxComplexity}`,
      extensions: {
        type: 'graphql error',
        code: 'QUERY_TOO_COMPLEX',
        statusCode: 400,
        userError: true,
        userPresentableMessage:
          'The query is too complex. Request fewer items per page or fewer nested fields.',
      },
    },
  ]);
}
