import { CanonicalStatus } from '@spec-kitty/core';
import {
  stripIdempotencyMarkers as stripIdempotencyMarker,
  withIdempotencyMarker,
} from '@spec-kitty/core/http';
import { describe, expect, it } from 'vitest';
import {
  githubIssueToCanonical,
  githubStateToStatus,
  issueWebUrl,
  parseIssueApiUrl,
  statusToGitHubState,
} from './github-mapping';
import { nextLinkQuery, pageSignal, parseNextLink } from './github-pagination';

describe('status mapping', () => {
  it('maps state + state_reason to canonical status', () => {
    expect(githubStateToStatus('open', null)).toBe(CanonicalStatus.TODO);
    expect(githubStateToStatus('open', 'reopened')).toBe(CanonicalStatus.TODO);
    expect(githubStateToStatus('closed', null)).toBe(CanonicalStatus.DONE);
    expect(githubStateToStatus('closed', 'completed')).toBe(CanonicalStatus.DONE);
    expect(githubStateToStatus('closed', 'not_planned')).toBe(CanonicalStatus.CANCELED);
    expect(githubStateToStatus('closed', 'duplicate')).toBe(CanonicalStatus.CANCELED);
  });

  it('maps canonical status to PATCH fields', () => {
    expect(statusToGitHubState(CanonicalStatus.DONE)).toEqual({ state: 'closed', state_reason: 'completed' });
    expect(statusToGitHubState(CanonicalStatus.CANCELED)).toEqual({
      state: 'closed',
      state_reason: 'not_planned',
    });
    for (const status of [
      CanonicalStatus.TODO,
      CanonicalStatus.IN_PROGRESS,
      CanonicalStatus.IN_REVIEW,
      CanonicalStatus.BLOCKED,
    ]) {
      expect(statusToGitHubState(status)).toEqual({ state: 'open' });
    }
  });
});

describe('issue mapping', () => {
  it('follows the original for sparse payloads (Untitled, empty url, task)', () => {
    const issue = githubIssueToCanonical(
      { id: 1, number: 7, title: '', labels: [{ name: '' }, 'docs'] },
      'o/r',
    );
    expect(issue).toMatchObject({
      title: 'Untitled',
      body: null,
      status: CanonicalStatus.TODO,
      issueType: 'task',
      labels: ['docs'],
    });
    expect(issue.ref).toEqual({ system: 'github', workspace: 'o/r', id: '7', key: '#7', url: '' });
  });

  it('round-trips the idempotency marker invisibly', () => {
    expect(stripIdempotencyMarker(withIdempotencyMarker('Body', 'k'))).toBe('Body');
    expect(stripIdempotencyMarker(withIdempotencyMarker(null, 'k'))).toBeNull();
    expect(withIdempotencyMarker('x', 'a --> b')).not.toContain('a --> b');
    expect(stripIdempotencyMarker('plain')).toBe('plain');
  });

  it('parses sub-issue parent URLs for github.com and Enterprise', () => {
    expect(parseIssueApiUrl('https://api.github.com/repos/o/r/issues/12')).toEqual({
      workspace: 'o/r',
      number: 12,
    });
    expect(parseIssueApiUrl('https://x/y')).toBeNull();
    expect(issueWebUrl('https://api.github.com/repos/o/r/issues/12')).toBe(
      'https://github.com/o/r/issues/12',
    );
    expect(issueWebUrl('https://ghe.local/api/v3/repos/o/r/issues/3')).toBe('https://ghe.local/o/r/issues/3');
  });
});

describe('pagination signal', () => {
  const link =
    '<https://api.github.com/repositories/1/issues?per_page=2&page=2>; rel="next", <https://api.github.com/repositories/1/issues?per_page=2&page=5>; rel="last"';

  it('reads rel="next" from a Link header', () => {
    expect(parseNextLink(link)).toBe('https://api.github.com/repositories/1/issues?per_page=2&page=2');
    expect(parseNextLink('<https://x?page=1>; rel="prev"')).toBeNull();
    expect(parseNextLink(null)).toBeNull();
    expect(nextLinkQuery('https://api.github.com/repositories/1/issues?per_page=2&page=2')).toEqual({
      per_page: '2',
      page: '2',
    });
  });

  it('trusts the Link header over the row count, and falls back to the short-page rule without it', () => {
    expect(pageSignal(new Headers({ link }), 1, 2)).toMatchObject({ hasNext: true, source: 'link' });
    expect(pageSignal(new Headers({ link: '<https://x?page=1>; rel="prev"' }), 2, 2)).toMatchObject({
      hasNext: false,
      source: 'link',
    });
    expect(pageSignal(new Headers(), 2, 2)).toMatchObject({ hasNext: true, source: 'short-page' });
    // GitHub's own headers without Link: the answer was a single page, however full.
    expect(pageSignal(new Headers({ 'x-ratelimit-limit': '5000' }), 2, 2)).toMatchObject({
      hasNext: false,
      source: 'no-link',
    });
    expect(pageSignal(new Headers(), 1, 2)).toMatchObject({ hasNext: false, source: 'short-page' });
  });
});
