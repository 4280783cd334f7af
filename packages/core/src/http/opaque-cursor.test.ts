import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../errors/errors';
import { FailureClass } from '../errors/failure-class';
import { createOpaqueCursorCodec, legacyPageNumber, MalformedCursorError } from './opaque-cursor';

interface State {
  s: string | null;
  p: number;
}

const codec = createOpaqueCursorCodec<State | number>({
  trackerName: 'Demo',
  provider: 'demo',
  prefix: 'dm1.',
  parse: (data) => {
    const d = data as Partial<State> | null;
    return d !== null &&
      typeof d === 'object' &&
      (d.s === null || typeof d.s === 'string') &&
      Number.isInteger(d.p)
      ? { s: d.s, p: d.p as number }
      : undefined;
  },
  legacy: (raw) => legacyPageNumber(raw) ?? undefined,
});

function decodeError(raw: string): unknown {
  try {
    codec.decode(raw);
  } catch (error) {
    return error;
  }
  return null;
}

describe('opaque cursor codec', () => {
  it('round-trips a state behind its prefix, unicode included', () => {
    const state = { s: '2024-01-01T00:00:00Z ✓ ünïcode', p: 3 };
    const encoded = codec.encode(state);
    expect(encoded.startsWith('dm1.')).toBe(true);
    expect(encoded).toMatch(/^dm1\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(encoded)).toEqual(state);
  });

  it('reads cursors written with Buffer base64url (the connectors’ earlier encoder)', () => {
    const state = { s: 'é', p: 1 };
    const old = `dm1.${Buffer.from(JSON.stringify(state), 'utf8').toString('base64url')}`;
    expect(codec.encode(state)).toBe(old);
    expect(codec.decode(old)).toEqual(state);
  });

  it('hands cursors without the prefix to the legacy reader', () => {
    expect(codec.decode(' 4 ')).toBe(4);
    expect(legacyPageNumber('0')).toBeNull();
    expect(legacyPageNumber('abc')).toBeNull();
  });

  it.each([
    ['wrong prefix', 'xx1.e30'],
    ['not base64url', 'dm1.!!!'],
    ['not JSON', `dm1.${Buffer.from('{nope').toString('base64url')}`],
    ['rejected by the validator', `dm1.${Buffer.from('{"s":1,"p":1}').toString('base64url')}`],
    ['legacy reader declines', '0'],
  ])('raises one MalformedCursorError for a cursor that is %s', (_label, raw) => {
    const error = decodeError(raw);
    expect(MalformedCursorError.isInstance(error)).toBe(true);
    expect(ConnectorRequestError.isInstance(error)).toBe(true);
    const failure = error as MalformedCursorError;
    expect(failure.provider).toBe('demo');
    expect(failure.failureClass).toBe(FailureClass.VALIDATION);
    expect(failure.statusCode).toBeNull();
    expect(failure.message).toBe(
      `Demo: malformed listIssues cursor ${JSON.stringify(raw)}; pass back the nextCursor of a previous page, or null to start over.`,
    );
  });

  it('quotes at most 80 characters of a bad cursor', () => {
    const error = decodeError(`dm1.${'x'.repeat(500)}`) as Error;
    expect(error.message).toContain(JSON.stringify(`dm1.${'x'.repeat(76)}`));
    expect(error.message).not.toContain('x'.repeat(77));
  });
});
