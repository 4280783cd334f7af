// One connector's cold pull and no-op sync, in a process of its own (so its CPU time and peak RSS
// are the connector's, the engine's and the store's, not the fake's). Run by connector.bench.ts,
// which serves the fake: `node --import tsx src/connector-scenario.ts '<ConnectorTarget JSON>'`.
// Prints one JSON line per phase; after the pull it waits for a line on stdin, so the parent can
// read and reset the fake's call count between the phases.
import { createInterface } from 'node:readline';
import {
  createConnector,
  FieldOwner,
  InMemoryIssueStore,
  OwnershipPolicy,
  SyncEngine,
  type SyncResult,
} from '@spec-kitty/core';
import type { ConnectorTarget } from './vendors';

export interface PhaseResult {
  phase: 'pull' | 'noop';
  /** Wall time of the phase. */
  seconds: number;
  /** CPU time (user + system) of this process during the phase: connector, engine and store. */
  cpuSeconds: number;
  /** Issues the pull created in the store (0 for the no-op sync). */
  created: number;
  /** Issues written in either direction by the no-op sync (should be 0). */
  written: number;
  failures: string[];
  /** Page size the engine used: the connector's declared `maxPageSize`, else the engine default. */
  pageSize: number | null;
  /** Peak resident set of this process so far. */
  peakRssMb: number;
}

async function measure(phase: PhaseResult['phase'], run: () => Promise<SyncResult>, pageSize: number | null) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(cpu);
  const { stats } = result;
  const out: PhaseResult = {
    phase,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    created: stats.pulledCreated,
    written: stats.pulledCreated + stats.pulledUpdated + stats.pushedCreated + stats.pushedUpdated,
    failures: result.errors.slice(0, 5),
    pageSize,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(out));
}

const target = JSON.parse(process.argv[2] ?? '{}') as ConnectorTarget;
await import(target.packageName);
const connector = createConnector(target.provider as never, target.config as never);
const store = new InMemoryIssueStore();
const policy = OwnershipPolicy.split({ fieldOwners: {}, defaultOwner: FieldOwner.SHARED });
const engine = new SyncEngine({ connector, store, policy });
const declared = (await connector.getCapabilities()).maxPageSize ?? null;

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
await measure('pull', () => engine.pull(), declared);
await lines.next();
await measure('noop', () => engine.sync(), declared);
process.exit(0);
