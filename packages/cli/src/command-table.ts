// The commands by name, each loaded on first use: a run imports only the module of the command it
// runs (and what that imports), so `--version` loads no store and `sync` no Postgres, HTTP server
// or in-memory demo tracker. A test checks this table against command-list.ts.
import type { Command } from './command-context';

/** One command as the binary knows it before loading it. */
export interface CommandEntry {
  readonly name: string;
  /** Names of its subcommands (for suggestions such as `issues delete` for `delete`). */
  readonly subcommands: readonly string[];
  load(): Promise<Command>;
}

/** Every command, in `help` order. */
export const COMMAND_TABLE: readonly CommandEntry[] = [
  { name: 'init', subcommands: [], load: async () => (await import('./command-bind')).initCommand },
  { name: 'bind', subcommands: [], load: async () => (await import('./command-bind')).bindCommand },
  {
    name: 'discover',
    subcommands: [],
    load: async () => (await import('./command-discover')).discoverCommand,
  },
  { name: 'pull', subcommands: [], load: async () => (await import('./command-sync')).pullCommand },
  { name: 'push', subcommands: [], load: async () => (await import('./command-sync')).pushCommand },
  { name: 'sync', subcommands: [], load: async () => (await import('./command-sync')).syncCommand },
  { name: 'plan', subcommands: [], load: async () => (await import('./command-sync')).planCommand },
  { name: 'status', subcommands: [], load: async () => (await import('./command-status')).statusCommand },
  {
    name: 'issues',
    subcommands: ['list', 'create', 'delete'],
    load: async () => (await import('./command-issues')).issuesCommand,
  },
  { name: 'edit', subcommands: [], load: async () => (await import('./command-edit')).editCommand },
  { name: 'map', subcommands: [], load: async () => (await import('./command-map')).mapCommand },
  {
    name: 'conflicts',
    subcommands: ['list', 'resolve'],
    load: async () => (await import('./command-conflicts')).conflictsCommand,
  },
  { name: 'unlock', subcommands: [], load: async () => (await import('./command-unlock')).unlockCommand },
  { name: 'demo', subcommands: [], load: async () => (await import('./command-demo')).demoCommand },
  { name: 'worker', subcommands: [], load: async () => (await import('./command-worker')).workerCommand },
  { name: 'serve', subcommands: [], load: async () => (await import('./command-serve')).serveCommand },
  {
    name: 'bindings',
    subcommands: ['add', 'list', 'remove', 'sync'],
    load: async () => (await import('./command-bindings')).bindingsCommand,
  },
];
