import { describe, expect, it } from 'vitest';
import { type RequestScope, requestScopeOf, withRequestScope } from './request-scope';

const scope: RequestScope = { callerRetries: true, maxRetryAfterSeconds: 30, requestTimeoutMs: 1000 };

describe('withRequestScope', () => {
  it('keeps a frozen scope as is: no copy per tagged signal', () => {
    const frozen = Object.freeze({ ...scope });
    const first = withRequestScope(new AbortController().signal, frozen);
    const second = withRequestScope(new AbortController().signal, frozen);
    expect(requestScopeOf(first)).toBe(frozen);
    expect(requestScopeOf(second)).toBe(frozen);
  });

  it('copies and freezes a mutable scope, so later changes to it do not reach the tag', () => {
    const mutable = { ...scope };
    const signal = withRequestScope(new AbortController().signal, mutable);
    mutable.maxRetryAfterSeconds = 0;
    const tagged = requestScopeOf(signal);
    expect(tagged).not.toBe(mutable);
    expect(tagged).toEqual(scope);
    expect(Object.isFrozen(tagged)).toBe(true);
  });

  it('leaves an untagged signal without a scope', () => {
    expect(requestScopeOf(new AbortController().signal)).toBeNull();
    expect(requestScopeOf(undefined)).toBeNull();
  });
});
