import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM fixture, shared with the benchmark; it drives built worker processes.
import { runScale } from '../test-fixtures/scale-run.mjs';
import { databaseUrl, dropWorkerSchema, freshSchema } from './test-support';

interface ScaleResult {
  killed: Date | null;
  overlaps: number;
  lostUpdates: number;
  duplicates: number;
  runsByOutcome: { outcome: string | null; holder: string; runs: number }[];
}

// The full 500 × 200 runs in `pnpm bench` (docs/performance.md); CI runs a fifth of the bindings
// unless SPEC_KITTY_SCALE_BINDINGS says otherwise.
const bindings = Number(process.env.SPEC_KITTY_SCALE_BINDINGS ?? 100);
const issues = 200;

describe('worker fleet at scale (4 processes, real PostgreSQL)', () => {
  it(`${bindings} bindings × ${issues} issues converge; a SIGKILLed worker's runs are finished by the others`, async () => {
    const schema = freshSchema('scale');
    try {
      const result = (await runScale({
        databaseUrl: databaseUrl(),
        schema,
        bindings,
        issues,
        workers: 4,
        kill: true,
      })) as ScaleResult;
      expect(result.killed).not.toBeNull();
      // No binding ever ran twice at once (the killed run counts as running until the kill).
      expect(result.overlaps).toBe(0);
      // Every binding holds exactly the remote's latest revision of each issue, bases and checkpoint agree.
      expect(result.lostUpdates).toBe(0);
      expect(result.duplicates).toBe(0);
      const killedRuns = result.runsByOutcome.filter(
        (entry) => entry.holder === 'worker-0' && entry.outcome === null,
      );
      expect(killedRuns.length).toBe(1);
      const survivors = result.runsByOutcome.filter(
        (entry) => entry.holder !== 'worker-0' && entry.outcome === 'ok',
      );
      expect(survivors.length).toBe(3);
      const ok = result.runsByOutcome
        .filter((entry) => entry.outcome === 'ok')
        .reduce((sum, entry) => sum + entry.runs, 0);
      expect(ok).toBeGreaterThanOrEqual(2 * bindings);
    } finally {
      await dropWorkerSchema(schema);
    }
  }, 300_000);
});
