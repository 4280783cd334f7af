// Every command, loaded: for the programmatic surface (`COMMANDS`) and the help overview. The
// binary itself loads only the command it runs (see command-table.ts).
import { bindCommand, initCommand } from './command-bind';
import { bindingsCommand } from './command-bindings';
import { conflictsCommand } from './command-conflicts';
import type { Command } from './command-context';
import { demoCommand } from './command-demo';
import { discoverCommand } from './command-discover';
import { editCommand } from './command-edit';
import { issuesCommand } from './command-issues';
import { mapCommand } from './command-map';
import { serveCommand } from './command-serve';
import { statusCommand } from './command-status';
import { planCommand, pullCommand, pushCommand, syncCommand } from './command-sync';
import { unlockCommand } from './command-unlock';
import { workerCommand } from './command-worker';

/** Every command, in `help` order. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  bindCommand,
  discoverCommand,
  pullCommand,
  pushCommand,
  syncCommand,
  planCommand,
  statusCommand,
  issuesCommand,
  editCommand,
  mapCommand,
  conflictsCommand,
  unlockCommand,
  demoCommand,
  workerCommand,
  serveCommand,
  bindingsCommand,
];
