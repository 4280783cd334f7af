import { describe, expect, it } from 'vitest';
import { ModelValidationError } from '../errors/errors';
import { decodeInboxEvents, unreadableDeliveryReason } from './inbox-event-json';

describe('unreadableDeliveryReason', () => {
  it('names what decodeInboxEvents refused, on one line, and that the delivery was set dead', () => {
    let thrown: unknown;
    try {
      decodeInboxEvents('{not json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SyntaxError);
    expect(unreadableDeliveryReason(thrown)).toBe(
      `the stored events are unreadable (${(thrown as Error).message}); the delivery was set dead`,
    );
    const multiLine = new ModelValidationError('first line\nsecond line');
    expect(unreadableDeliveryReason(multiLine)).toBe(
      'the stored events are unreadable (first line); the delivery was set dead',
    );
  });

  it('reads a thrown value that is not an Error', () => {
    expect(unreadableDeliveryReason('bad row')).toBe(
      'the stored events are unreadable (bad row); the delivery was set dead',
    );
    expect(unreadableDeliveryReason(null)).toBe(
      'the stored events are unreadable (null); the delivery was set dead',
    );
  });
});
