import { CapabilityNotSupportedError, isStatusTransitionRefusal } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { candidateStates, resolveStateId } from './linear-status';

const states = [
  { id: 's-backlog', name: 'Backlog', type: 'backlog', position: 0 },
  { id: 's-todo', name: 'Todo', type: 'unstarted', position: 1 },
  { id: 's-doing', name: 'In Progress', type: 'started', position: 2 },
  { id: 's-review', name: 'In Review', type: 'started', position: 3 },
  { id: 's-done', name: 'Done', type: 'completed', position: 4 },
  { id: 's-cancel', name: 'Canceled', type: 'canceled', position: 5 },
  { id: 's-dup', name: 'Duplicate', type: 'canceled', position: 6 },
];

describe('resolveStateId', () => {
  it('prefers the configured mapping', () => {
    expect(resolveStateId('canceled', { canceled: 's-dup' }, null)).toBe('s-dup');
  });
  it('resolves by type when exactly one state fits (and reads back as the target)', () => {
    expect(resolveStateId('todo', {}, states)).toBe('s-todo');
    expect(resolveStateId('in_progress', {}, states)).toBe('s-doing');
    expect(resolveStateId('in_review', {}, states)).toBe('s-review');
    expect(resolveStateId('done', {}, states)).toBe('s-done');
  });
  it('refuses to guess between several states, naming the missing mapping', () => {
    let error: unknown;
    try {
      resolveStateId('canceled', {}, states);
    } catch (caught) {
      error = caught;
    }
    expect(CapabilityNotSupportedError.isInstance(error)).toBe(true);
    expect(isStatusTransitionRefusal(error as CapabilityNotSupportedError)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Linear status mapping missing for canceled: .*Canceled, Duplicate.*statusToStateId\.canceled/,
    );
  });
  it('refuses when no state fits', () => {
    expect(candidateStates('blocked', states)).toEqual([]);
    expect(() => resolveStateId('blocked', {}, states)).toThrow(
      /no workflow state of type "started" that reads back as blocked/,
    );
  });
});
