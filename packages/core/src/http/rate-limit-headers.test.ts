import { describe, expect, it } from 'vitest';
import {
  isQuotaExhausted,
  parseResetValue,
  parseRetryAfter,
  readRateLimit,
  waitSecondsFromHeaders,
} from './rate-limit-headers';

const NOW = Date.parse('2026-11-24T08:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['60', 60],
    [' 7 ', 7],
    ['1.2', 2],
    ['Tue, 24 Nov 2026 08:00:10 GMT', 10],
    ['Tue, 24 Nov 2026 07:00:00 GMT', 0],
    ['soon', null],
    ['', null],
    ['999999999', 86_400],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
  it('null/undefined → null', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
  });
});

describe('parseResetValue', () => {
  it('reads epoch ms (Linear), epoch seconds (GitHub/GitLab), deltas (IETF) and ISO dates (Jira)', () => {
    expect(parseResetValue(String(NOW + 5000), NOW)?.getTime()).toBe(NOW + 5000);
    expect(parseResetValue(String(NOW / 1000 + 5), NOW)?.getTime()).toBe(NOW + 5000);
    expect(parseResetValue('5', NOW)?.getTime()).toBe(NOW + 5000);
    expect(parseResetValue('2026-11-24T08:00:05.000Z', NOW)?.getTime()).toBe(NOW + 5000);
    expect(parseResetValue('nonsense', NOW)).toBeNull();
  });
});

describe('readRateLimit', () => {
  it('prefers the Linear request family, falls back to X-RateLimit and RateLimit', () => {
    const linear = new Headers({
      'x-ratelimit-requests-limit': '5000',
      'x-ratelimit-requests-remaining': '12',
      'x-ratelimit-requests-reset': String(NOW + 60_000),
    });
    expect(readRateLimit(linear, NOW)).toEqual({
      limit: 5000,
      remaining: 12,
      resetAt: new Date(NOW + 60_000),
      retryAfterSeconds: null,
    });
    const gitlab = new Headers({
      'ratelimit-limit': '2000',
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(NOW / 1000 + 9),
      'retry-after': '9',
    });
    expect(readRateLimit(gitlab, NOW)).toEqual({
      limit: 2000,
      remaining: 0,
      resetAt: new Date(NOW + 9000),
      retryAfterSeconds: 9,
    });
    expect(isQuotaExhausted(gitlab)).toBe(true);
    expect(isQuotaExhausted(linear)).toBe(false);
  });
  it('waits on reset headers only when rate limited', () => {
    const headers = new Headers({ 'x-ratelimit-reset': String(NOW / 1000 + 30) });
    expect(waitSecondsFromHeaders(headers, { rateLimited: true, now: NOW })).toBe(30);
    expect(waitSecondsFromHeaders(headers, { rateLimited: false, now: NOW })).toBeNull();
  });
});
