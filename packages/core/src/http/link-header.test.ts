import { describe, expect, it } from 'vitest';
import { findLinkUrl, parseLinkHeader } from './link-header';

describe('Link header', () => {
  const github =
    '<https://api.github.com/repositories/1/issues?per_page=2&page=2>; rel="next", <https://api.github.com/repositories/1/issues?per_page=2&page=5>; rel="last"';

  it('finds rel="next" and rel="last" in a GitHub header', () => {
    expect(findLinkUrl(github, 'next')).toBe(
      'https://api.github.com/repositories/1/issues?per_page=2&page=2',
    );
    expect(findLinkUrl(github, 'last')).toBe(
      'https://api.github.com/repositories/1/issues?per_page=2&page=5',
    );
    expect(findLinkUrl(github, 'prev')).toBeNull();
  });

  it('reads GitLab headers, unquoted and multi-valued rels, any case', () => {
    const gitlab =
      '<https://gitlab.example/api/v4/projects/1/issues?page=1&per_page=2>; rel="first", <https://gitlab.example/api/v4/projects/1/issues?page=3&per_page=2>; rel=next';
    expect(findLinkUrl(gitlab, 'next')).toBe(
      'https://gitlab.example/api/v4/projects/1/issues?page=3&per_page=2',
    );
    expect(findLinkUrl('<https://x/?page=9>; REL="Last Next"', 'next')).toBe('https://x/?page=9');
  });

  it('does not split on commas inside the URL or a quoted parameter', () => {
    const header = '<https://x/?ids=1,2,3>; title="a, b"; rel="next", <https://x/?p=0>; rel="prev"';
    expect(parseLinkHeader(header)).toEqual([
      { url: 'https://x/?ids=1,2,3', rel: ['next'], params: { title: 'a, b' } },
      { url: 'https://x/?p=0', rel: ['prev'], params: {} },
    ]);
  });

  it('ignores relations that only contain the word, and garbage', () => {
    expect(findLinkUrl('<https://x/>; rel="nextish"', 'next')).toBeNull();
    expect(findLinkUrl('not a link; rel="next"', 'next')).toBeNull();
    expect(findLinkUrl(null, 'next')).toBeNull();
    expect(findLinkUrl('', 'next')).toBeNull();
  });
});
