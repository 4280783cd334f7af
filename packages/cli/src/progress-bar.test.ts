import { describe, expect, it } from 'vitest';
import { createProgressReporter, renderBar } from './progress-bar';

function stream(isTTY: boolean) {
  let text = '';
  return { write: (chunk: string) => (text += chunk), isTTY, columns: 200, text: () => text };
}

const page = (items: number) =>
  ({ type: 'page', phase: 'pull', cursor: null, nextCursor: null, items }) as const;

describe('progress', () => {
  it('draws a bar', () => {
    expect(renderBar(0.5, 0, 10)).toBe('[█████░░░░░]');
    expect(renderBar(2, 0, 4)).toBe('[████]');
    expect(renderBar(null, 0, 10)).toBe('[███░░░░░░░]');
    expect(renderBar(null, 3, 10)).toBe('[░░░███░░░░]');
  });

  it('redraws one line on a TTY and clears it at the end', () => {
    const out = stream(true);
    let time = 0;
    const reporter = createProgressReporter(out, { enabled: true, label: 'pull', now: () => (time += 100) });
    reporter.onEvent(page(50));
    reporter.onEvent(page(25));
    reporter.finish();
    expect(out.text()).toContain('\r\x1b[2K[');
    expect(out.text()).toContain('pull (pull): 2 page(s), 75 issue(s) read');
    expect(out.text().endsWith('\r\x1b[2K')).toBe(true);
    expect(out.text()).not.toContain('\n');
    expect(reporter.counts).toMatchObject({ pages: 2, issues: 75 });
  });

  it('writes plain lines without escape codes when not a TTY', () => {
    const out = stream(false);
    const reporter = createProgressReporter(out, { enabled: true, label: 'sync' });
    reporter.onEvent(page(10));
    reporter.finish();
    expect(out.text()).toBe(
      'sync (pull): 1 page(s), 10 issue(s) read, 0 tracker write(s), 0 conflict(s), 0 failure(s)\n',
    );
  });

  it('counts issues read by the pull apart from the push listing and local writes', () => {
    const out = stream(false);
    const reporter = createProgressReporter(out, { enabled: true, label: 'sync' });
    reporter.onEvent(page(10));
    reporter.onEvent({ type: 'page', phase: 'push', cursor: null, nextCursor: null, items: 7 });
    const ref = { system: 's', workspace: 'w', id: '1', key: null, url: null };
    reporter.onEvent({ type: 'write', write: { target: 'local', action: 'update', ref, issue: null } });
    reporter.onEvent({
      type: 'write',
      write: { target: 'remote', action: 'update', ref, patch: {}, idempotencyKey: 'k' },
    });
    expect(reporter.counts).toMatchObject({ pages: 2, issues: 10, listed: 7, writes: 1 });
    reporter.finish();
    expect(out.text().trimEnd().split('\n').at(-1)).toBe(
      'sync (push): 2 page(s), 10 issue(s) read, 7 listed for push, 1 tracker write(s), 0 conflict(s), 0 failure(s)',
    );
  });

  it('stays silent when disabled', () => {
    const out = stream(true);
    const reporter = createProgressReporter(out, { enabled: false, label: 'sync' });
    reporter.onEvent(page(10));
    reporter.finish();
    expect(out.text()).toBe('');
    expect(reporter.counts.issues).toBe(10);
  });
});
