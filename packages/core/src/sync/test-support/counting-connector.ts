// Test-only wrapper: counts every connector call by method and lets a test inject behaviour.
import type { TrackerConnector } from '../../protocol/connector';

type Method = Exclude<keyof TrackerConnector, 'name' | 'close' | 'findCreatedIssue'>;
const METHODS: readonly Method[] = [
  'getCapabilities',
  'listIssues',
  'getIssue',
  'getIssues',
  'createIssue',
  'updateIssue',
  'transitionIssue',
  'upsertLink',
  'addComment',
  'listEvents',
];
const WRITES: ReadonlySet<string> = new Set([
  'createIssue',
  'updateIssue',
  'transitionIssue',
  'upsertLink',
  'addComment',
]);

export type CountingConnector<C extends TrackerConnector> = C & {
  calls: Record<string, number>;
  log: string[];
  total(): number;
  writes(): number;
  reset(): void;
};

/** A proxy over `inner` that counts calls (and logs `method` names in order). */
export function counting<C extends TrackerConnector>(inner: C): CountingConnector<C> {
  const calls: Record<string, number> = {};
  const log: string[] = [];
  let depth = 0;
  const extras = {
    calls,
    log,
    total: () => Object.values(calls).reduce((sum, count) => sum + count, 0),
    writes: () =>
      Object.entries(calls).reduce((sum, [method, count]) => sum + (WRITES.has(method) ? count : 0), 0),
    reset: () => {
      for (const key of Object.keys(calls)) delete calls[key];
      log.length = 0;
    },
  };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in extras) return extras[property as keyof typeof extras];
      const value = Reflect.get(target, property, receiver);
      if (
        typeof property === 'string' &&
        (METHODS as readonly string[]).includes(property) &&
        typeof value === 'function'
      ) {
        return (...args: unknown[]) => {
          // A test override that calls the bound original re-enters synchronously: count once.
          if (depth === 0) {
            calls[property] = (calls[property] ?? 0) + 1;
            log.push(property);
          }
          depth += 1;
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            depth -= 1;
          }
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as CountingConnector<C>;
}
