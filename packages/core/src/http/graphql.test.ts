import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { isMutationDocument, throwIfGraphQLErrors } from './graphql';

describe('isMutationDocument', () => {
  it.each([
    ['{ viewer { id } }', false],
    ['query Q { issues { nodes { id } } }', false],
    ['  mutation M($i: IssueCreateInput!) { issueCreate(input: $i) { success } }', true],
    ['subscription S { issueUpdated { id } }', true],
    ['# a mutation comment\nquery Q { viewer { id } }', false],
    ['query Q { search(term: "mutation {") { id } }', false],
    ['query Q { mutation { id } }', false],
    ['fragment F on Issue { id }\nmutation M { issueUpdate(id: "1") { issue { ...F } } }', true],
    ['fragment F on Issue { id }\nquery Q { issue(id: "1") { ...F } }', false],
  ])('%j → %s', (document, expected) => {
    expect(isMutationDocument(document)).toBe(expected);
  });
});

describe('throwIfGraphQLErrors', () => {
  function thrown(
    body: unknown,
    context?: Parameters<typeof throwIfGraphQLErrors>[1],
  ): ConnectorRequestError {
    try {
      throwIfGraphQLErrors(body, context);
    } catch (error) {
      if (ConnectorRequestError.isInstance(error)) return error;
      throw error;
    }
    throw new Error('expected a throw');
  }

  it('passes bodies without errors', () => {
    expect(() => throwIfGraphQLErrors({ data: { a: 1 } })).not.toThrow();
    expect(() => throwIfGraphQLErrors({ data: {}, errors: [] })).not.toThrow();
    expect(() => throwIfGraphQLErrors(null)).not.toThrow();
  });

  it('maps error codes to failure classes; unknown codes stay non_retryable like the original', () => {
    const now = 1_800_000_000_000;
    const limited = thrown(
      { errors: [{ message: 'x', extensions: { code: 'RATELIMITED' } }] },
      {
        provider: 'linear',
        status: 200,
        headers: new Headers({ 'x-ratelimit-requests-reset': String(now + 10_000) }),
        now,
      },
    );
    expect(limited).toMatchObject({
      failureClass: 'rate_limit',
      retryAfterSeconds: 10,
      provider: 'linear',
      statusCode: 200,
    });
    expect(
      thrown({ errors: [{ message: 'x', extensions: { code: 'AUTHENTICATION_ERROR' } }] }).failureClass,
    ).toBe('authentication');
    expect(thrown({ errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] }).failureClass).toBe(
      'permission',
    );
    const plain = thrown({ errors: [{ message: 'Entity not found' }] }, { label: 'Linear GraphQL error' });
    expect(plain.failureClass).toBe('non_retryable');
    expect(plain.message).toBe('Linear GraphQL error: [{"message":"Entity not found"}]');
  });
});
