import { describe, expect, it } from 'vitest';
import { capabilities } from '../capabilities';
import { ModelValidationError } from '../errors/errors';
import { createRef } from './external-ref';
import { createTombstone, isTombstoneReason } from './tombstone';

const ref = { system: 'github', workspace: 'o/r', id: '7', key: '#7', url: null };

describe('createTombstone', () => {
  it('builds a frozen tombstone with a validated ref and null movedTo', () => {
    const tombstone = createTombstone({ ref, reason: 'deleted', observedAt: '2026-01-31T12:00:00Z' });
    expect(tombstone).toEqual({
      ref: createRef(ref),
      reason: 'deleted',
      movedTo: null,
      observedAt: '2026-01-31T12:00:00Z',
    });
    expect(Object.isFrozen(tombstone)).toBe(true);
    expect(Object.isFrozen(tombstone.ref)).toBe(true);
  });

  it('keeps movedTo for a moved issue and turns a Date into ISO-8601', () => {
    const tombstone = createTombstone({
      ref,
      reason: 'moved',
      movedTo: { system: 'github', workspace: 'o/other', id: '3' },
      observedAt: new Date(Date.UTC(2026, 0, 2)),
    });
    expect(tombstone.movedTo?.workspace).toBe('o/other');
    expect(tombstone.observedAt).toBe('2026-01-02T00:00:00.000Z');
  });

  it('defaults observedAt to now', () => {
    const before = Date.now();
    const tombstone = createTombstone({ ref, reason: 'archived' });
    expect(Date.parse(tombstone.observedAt)).toBeGreaterThanOrEqual(before);
  });

  it.each([
    [{ ref, reason: 'gone' }, /reason must be one of deleted, archived, moved/],
    [{ ref: null, reason: 'deleted' }, /ref must be an ExternalRef/],
    [{ ref: { ...ref, id: '' }, reason: 'deleted' }, /ExternalRef.id must not be empty/],
    [{ ref, reason: 'deleted', movedTo: ref }, /movedTo is only allowed when reason is 'moved'/],
    [{ ref, reason: 'moved', movedTo: 'o/r#1' }, /movedTo must be an ExternalRef or null/],
    [{ ref, reason: 'deleted', observedAt: 'yesterday' }, /observedAt must be an ISO-8601/],
    [{ ref, reason: 'deleted', observedAt: new Date(Number.NaN) }, /invalid Date/],
  ])('rejects %j with a ModelValidationError', (init, message) => {
    expect(() => createTombstone(init as never)).toThrow(ModelValidationError);
    expect(() => createTombstone(init as never)).toThrow(message);
  });

  it('knows its reasons', () => {
    expect(['deleted', 'archived', 'moved', 'lost'].map(isTombstoneReason)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('capabilities().reportsDeletions', () => {
  it('is an optional non-flag, validated as a boolean', () => {
    expect(capabilities({ reportsDeletions: true }).reportsDeletions).toBe(true);
    expect(capabilities({}).reportsDeletions).toBeUndefined();
    expect(() => capabilities({ reportsDeletions: 'yes' } as never)).toThrow(
      /reportsDeletions must be a boolean/,
    );
  });
});
