import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { createPageWalk, PageWalkLimitError } from './page-walk';

describe('createPageWalk', () => {
  it('counts pages and stops when the server offers more than maxPages', () => {
    const walk = createPageWalk({ provider: 'acme', what: 'issues', maxPages: 3 });
    walk.next('c2');
    walk.next('c3');
    expect(walk.pages).toBe(3);
    const error = (() => {
      try {
        walk.next('c4');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(PageWalkLimitError.isInstance(error)).toBe(true);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'max_pages', pages: 3, provider: 'acme', isRetryable: false });
    expect((error as Error).message).toBe(
      'acme: stopped walking issues after 3 page(s) (maxPages = 3) while the server still offered another page. Raise maxPages in the connector config if the listing really is that long.',
    );
  });

  it('stops on a cursor it already followed, including the first page cursor, without quoting it', () => {
    const walk = createPageWalk({ provider: 'acme', what: 'labels', maxPages: 100 }, 'secret-ish-cursor');
    walk.next('b');
    expect(() => walk.next('b')).toThrow(
      /after 2 page\(s\): the server returned a next-page cursor it had already returned/,
    );
    const again = createPageWalk({ provider: 'acme', what: 'labels', maxPages: 100 }, 'secret-ish-cursor');
    let message = '';
    try {
      again.next('secret-ish-cursor');
    } catch (caught) {
      message = (caught as Error).message;
      expect(caught).toMatchObject({ reason: 'repeated_cursor', pages: 1 });
    }
    expect(message).toMatch(/pagination loop/);
    expect(message).not.toContain('secret-ish-cursor');
  });

  it('names the setting that raises the limit, and refuses a bad maxPages', () => {
    const walk = createPageWalk({ provider: 'p', what: 'w', maxPages: 1, setting: 'discoveryMaxPages' });
    expect(() => walk.next('x')).toThrow(/discoveryMaxPages = 1/);
    expect(() => createPageWalk({ provider: 'p', what: 'w', maxPages: 0 })).toThrow(RangeError);
  });
});
