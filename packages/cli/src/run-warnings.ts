import { type DiscardedLocalChange, FailureClass, refIdentity, type SyncFailure } from '@spec-kitty/core';
import { type CommandContext, warn } from './command-context';
import { brief } from './table';

const REASONS: Record<DiscardedLocalChange['reason'], string> = {
  ownership: 'the tracker owns the field',
  conflict_strategy: 'the conflict strategy kept the other value',
};

/** Values as JSON, so a string reads as one (`"text"`). */
const shown = (value: unknown) => brief(JSON.stringify(value ?? null), 48);

/** One warning line per local change the run did not let through: it never vanishes unreported. */
export function reportDiscarded(ctx: CommandContext, discarded: readonly DiscardedLocalChange[]): void {
  if (discarded.length === 0) return;
  warn(
    ctx,
    `${discarded.length} local change(s) were not sent and are replaced by the kept value (change the policy with \`spec-kitty-tracker bind --policy split --owner FIELD=shared\`, or the strategy with \`bind --strategy\`):`,
  );
  for (const change of discarded) {
    ctx.io.stderr.write(
      `  ${refIdentity(change.issueRef)} ${change.fieldName}: local ${shown(change.localValue)} discarded, kept ${shown(change.keptValue)} (${REASONS[change.reason] ?? change.reason})\n`,
    );
  }
}

/** The failure that stopped a run on a rate limit, if one did. */
export function rateLimitOf(failures: readonly SyncFailure[]): SyncFailure | undefined {
  return failures.find(
    (failure) => failure.failureClass === FailureClass.RATE_LIMIT && failure.resetAt !== null,
  );
}

/** "rate limited by github until 2026-…Z": a run stopped by a rate limit says when to come back. */
export function reportRateLimit(
  ctx: CommandContext,
  operation: string,
  tracker: string,
  failures: readonly SyncFailure[],
  now: Date = new Date(),
): void {
  const limited = rateLimitOf(failures);
  if (limited?.resetAt == null) return;
  const minutes = Math.max(0, Math.ceil((limited.resetAt.getTime() - now.getTime()) / 60_000));
  ctx.io.stderr.write(
    `${operation}: rate limited by ${tracker} until ${limited.resetAt.toISOString()} (in about ${minutes} min); the run stopped at once. Run it again after that time: everything done so far is saved.\n`,
  );
}
