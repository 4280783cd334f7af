import type { SyncProgressEvent } from '@spec-kitty/core';
import type { OutputStream } from './cli-io';

/** Counters a run's progress shows. */
export interface ProgressCounts {
  pages: number;
  /** Issues read by the pull's pages: the result table's "read" column. */
  issues: number;
  /** Remote issues listed by the push to find the tracker's copies (not pulled). */
  listed: number;
  /** Writes to the tracker (creates and updates, attempted). */
  writes: number;
  conflicts: number;
  failures: number;
  retries: number;
}

export interface ProgressReporter {
  readonly counts: Readonly<ProgressCounts>;
  onEvent(event: SyncProgressEvent): void;
  /** Clears the bar (TTY) so the summary starts on a clean line. */
  finish(): void;
}

const BAR_WIDTH = 20;

/** `[████████░░░░░░░░░░░░]` for a fraction, or a moving block when the total is unknown. */
export function renderBar(fraction: number | null, tick: number, width = BAR_WIDTH): string {
  if (fraction === null) {
    const position = tick % (2 * (width - 3));
    const start = position < width - 3 ? position : 2 * (width - 3) - position;
    return `[${'░'.repeat(start)}███${'░'.repeat(width - 3 - start)}]`;
  }
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function describe(phase: string, counts: ProgressCounts): string {
  const listed = counts.listed > 0 ? `, ${counts.listed} listed for push` : '';
  return `${phase}: ${counts.pages} page(s), ${counts.issues} issue(s) read${listed}, ${counts.writes} tracker write(s), ${counts.conflicts} conflict(s), ${counts.failures} failure(s)`;
}

/**
 * Progress of a sync run on stderr. On a TTY: one self-overwriting line with a bar, redrawn at
 * most every `intervalMs`. Otherwise: one plain line per page and per retry, nothing animated.
 * `enabled: false` (e.g. `--json` or `--quiet`) reports nothing.
 */
export function createProgressReporter(
  stream: OutputStream,
  options: { enabled: boolean; label: string; intervalMs?: number; now?: () => number },
): ProgressReporter {
  const counts: ProgressCounts = {
    pages: 0,
    issues: 0,
    listed: 0,
    writes: 0,
    conflicts: 0,
    failures: 0,
    retries: 0,
  };
  const tty = stream.isTTY === true;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 80;
  let phase = options.label;
  let lastDraw = -Infinity;
  let tick = 0;
  let drawn = false;
  // Plain mode: whether counts changed since the last line, so finish() can print the totals.
  let unprinted = false;
  const printLine = () => {
    stream.write(`${describe(phase, counts)}\n`);
    unprinted = false;
  };

  const draw = (force: boolean) => {
    if (!options.enabled || !tty) return;
    const time = now();
    if (!force && time - lastDraw < interval) return;
    lastDraw = time;
    tick++;
    const columns = stream.columns ?? 100;
    const line = `${renderBar(null, tick)} ${describe(phase, counts)}`.slice(0, Math.max(10, columns - 1));
    stream.write(`\r\x1b[2K${line}`);
    drawn = true;
  };

  return {
    counts,
    onEvent(event) {
      switch (event.type) {
        case 'page':
          counts.pages++;
          if (event.phase === 'pull') counts.issues += event.items;
          else counts.listed += event.items;
          phase = `${options.label} (${event.phase})`;
          if (options.enabled && !tty) printLine();
          break;
        case 'write':
          if (event.write.target === 'remote') counts.writes++;
          break;
        case 'conflict':
          counts.conflicts++;
          break;
        case 'failure':
          counts.failures++;
          break;
        case 'retry':
          counts.retries++;
          if (options.enabled && !tty) {
            stream.write(
              `${options.label}: retrying ${event.operation} (attempt ${event.attempt}) in ${event.delayMs} ms\n`,
            );
          }
          break;
      }
      if (event.type !== 'page' && event.type !== 'retry') unprinted = true;
      draw(false);
    },
    finish() {
      // The last plain line holds the run's totals, the same numbers as the result table.
      if (options.enabled && !tty && unprinted) printLine();
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
