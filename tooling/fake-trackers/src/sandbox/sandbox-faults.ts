import type { FakeServer, Fault } from '../server/fake-server';

/** A fault injected on a share of requests: `500:0.1` = a 500 on 10 % of them. */
export interface RateFault {
  readonly fault: Fault;
  /** Share of requests, 0 < rate <= 1. */
  readonly rate: number;
  /** As written on the command line, for reports. */
  readonly label: string;
}

/** Mulberry32: a tiny seeded RNG, so a fault run can be replayed with the same `--fault-seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks at most one fault per request: one draw, compared against consecutive slices of [0, 1),
 * so `500:0.1` and `429:0.05` together fault 15 % of requests at exactly those rates.
 */
export function pickFault<T extends { rate: number }>(faults: readonly T[], draw: number): T | null {
  let upper = 0;
  for (const fault of faults) {
    upper += fault.rate;
    if (draw < upper) return fault;
  }
  return null;
}

export interface FaultCounters {
  /** Injected faults by label. */
  readonly injected: Map<string, number>;
}

/**
 * Installs rate faults (and an optional latency on every other request) on a fake server through
 * its public fault rules. Each request draws once from `random`.
 */
export function installRateFaults(
  server: FakeServer,
  faults: readonly RateFault[],
  latencyMs: number,
  random: () => number,
): FaultCounters {
  const injected = new Map<string, number>();
  const chosen = new WeakMap<object, RateFault | null>();
  const choose = (request: object): RateFault | null => {
    if (!chosen.has(request)) {
      const fault = pickFault(faults, random());
      chosen.set(request, fault);
      if (fault) injected.set(fault.label, (injected.get(fault.label) ?? 0) + 1);
    }
    return chosen.get(request) ?? null;
  };
  for (const rateFault of faults) {
    server.injectFault({
      times: Number.POSITIVE_INFINITY,
      match: (request) => choose(request) === rateFault,
      fault: rateFault.fault,
    });
  }
  if (latencyMs > 0) {
    server.injectFault({
      times: Number.POSITIVE_INFINITY,
      match: (request) => choose(request) === null,
      fault: { kind: 'latency', ms: latencyMs },
    });
  }
  return { injected };
}
