import { SpecKittyTrackerError } from '@spec-kitty/core';

/**
 * A connector declares `capabilities.reportsDeletions` but its conformance subject cannot be
 * checked for it (no `checkGone`, or no `removeIssue` hook): deletion support must be tested.
 */
export class MissingTombstoneHookError extends SpecKittyTrackerError {
  static override readonly errorName: string = 'MissingTombstoneHookError';
}
