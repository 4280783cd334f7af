import { describe, expect, it } from 'vitest';
import { bodyExcerpt, redactSecrets, sanitizeUrl, secretsFromHeaders } from './http-errors';

describe('sanitizeUrl', () => {
  it('redacts credential query values and user-info, keeps ordinary parameters', () => {
    const url =
      'https://user:pw@gitlab.com/api/v4/projects?private_token=glpat-1&access_token=a&client_secret=s&apiKey=k&sig=x&author_username=bob&page=2';
    const safe = sanitizeUrl(url);
    expect(safe).toBe(
      'https://gitlab.com/api/v4/projects?private_token=[REDACTED]&access_token=[REDACTED]&client_secret=[REDACTED]&apiKey=[REDACTED]&sig=[REDACTED]&author_username=bob&page=2',
    );
  });
  it('keeps URLs without secrets unchanged', () => {
    expect(sanitizeUrl('https://api.github.com/repos/o/r/issues?state=open&per_page=100')).toBe(
      'https://api.github.com/repos/o/r/issues?state=open&per_page=100',
    );
  });
});

describe('redaction helpers', () => {
  it('collects whole auth values and the token after the scheme', () => {
    expect(
      secretsFromHeaders([
        ['Authorization', 'Bearer abc123'],
        ['PRIVATE-TOKEN', 'glpat-x'],
        ['Accept', 'application/json'],
      ]),
    ).toEqual(['Bearer abc123', 'abc123', 'glpat-x']);
  });
  it('replaces every occurrence, ignoring secrets shorter than 4 chars', () => {
    expect(redactSecrets('Bearer abc123 and abc123; ab', ['Bearer abc123', 'abc123', 'ab'])).toBe(
      '[REDACTED] and [REDACTED]; ab',
    );
  });
  it('collapses whitespace and truncates excerpts', () => {
    expect(bodyExcerpt('a\n  b')).toBe('a b');
    expect(bodyExcerpt('x'.repeat(10), 4)).toBe('xxxx… (6 more chars)');
  });
});
