import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { isHttpStatus } from './http-status';
import { MalformedCursorError } from './opaque-cursor';

describe('isHttpStatus', () => {
  it('matches request errors by status, one or several', () => {
    const notFound = new ConnectorRequestError('gone', { statusCode: 404 });
    expect(isHttpStatus(notFound, 404)).toBe(true);
    expect(isHttpStatus(notFound, 410)).toBe(false);
    expect(isHttpStatus(new ConnectorRequestError('c', { statusCode: 412 }), [409, 412])).toBe(true);
  });

  it('is false for errors without a status and for look-alikes', () => {
    expect(isHttpStatus(new ConnectorRequestError('connection reset'), 404)).toBe(false);
    expect(isHttpStatus(new MalformedCursorError('m'), 400)).toBe(false);
    expect(isHttpStatus({ statusCode: 404 }, 404)).toBe(false);
    expect(isHttpStatus(new Error('404'), 404)).toBe(false);
    expect(isHttpStatus(null, 404)).toBe(false);
  });
});
