import { describe, expect, it } from 'vitest';
import {
  hasIdempotencyMarker,
  idempotencyKeysIn,
  idempotencyMarker,
  type LegacyIdempotencyMarker,
  stripIdempotencyMarkers,
  withIdempotencyMarker,
} from './idempotency-marker';

const legacy: LegacyIdempotencyMarker = {
  marker: (key) => `<!-- old:${key} -->`,
  pattern: /<!-- old:[^>]*? -->/,
};

describe('idempotency marker', () => {
  it('appends a hidden, URI-encoded comment and strips it back to the body', () => {
    expect(idempotencyMarker('sync:a b')).toBe('<!-- spec-kitty:idempotency-key=sync%3Aa%20b -->');
    expect(withIdempotencyMarker('Body', 'k')).toBe('Body\n\n<!-- spec-kitty:idempotency-key=k -->');
    expect(stripIdempotencyMarkers(withIdempotencyMarker('Body', 'k'))).toBe('Body');
    expect(stripIdempotencyMarkers(withIdempotencyMarker(null, 'k'))).toBeNull();
    expect(stripIdempotencyMarkers(withIdempotencyMarker('', 'k'))).toBeNull();
    expect(stripIdempotencyMarkers('plain')).toBe('plain');
    expect(stripIdempotencyMarkers(undefined)).toBeNull();
  });

  it('never lets a key close the comment early', () => {
    const body = withIdempotencyMarker('x', 'a --> b');
    expect(body).not.toContain('a --> b');
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(hasIdempotencyMarker(body, 'a --> b')).toBe(true);
    expect(idempotencyKeysIn(body)).toEqual(['a --> b']);
  });

  it('strips a marker someone typed after, leaving their text', () => {
    expect(stripIdempotencyMarkers('Intro\n\n<!-- spec-kitty:idempotency-key=k -->\nAdded later')).toBe(
      'Intro\n\n\nAdded later',
    );
  });

  it('finds only the exact key', () => {
    const body = withIdempotencyMarker('x', 'sync:1');
    expect(hasIdempotencyMarker(body, 'sync:1')).toBe(true);
    expect(hasIdempotencyMarker(body, 'sync:')).toBe(false);
    expect(hasIdempotencyMarker(null, 'sync:1')).toBe(false);
  });

  it('finds and strips legacy formats only when asked to', () => {
    const old = 'Body\n\n<!-- old:sync:x -->';
    expect(hasIdempotencyMarker(old, 'sync:x')).toBe(false);
    expect(hasIdempotencyMarker(old, 'sync:x', { legacy: [legacy] })).toBe(true);
    expect(stripIdempotencyMarkers(old)).toBe(old);
    expect(stripIdempotencyMarkers(old, { legacy: [legacy] })).toBe('Body');
    expect(stripIdempotencyMarkers('<!-- old:k -->', { legacy: [legacy] })).toBeNull();
  });

  it('lists every decodable key in the current format', () => {
    const body = `${idempotencyMarker('a')}\ntext\n${idempotencyMarker('b/c')}\n<!-- spec-kitty:idempotency-key=%E0%A4 -->`;
    expect(idempotencyKeysIn(body)).toEqual(['a', 'b/c']);
  });
});
