#!/usr/bin/env node
import { main } from './main';

const code = await main(process.argv.slice(2));
// Exit as soon as the command is done and its output flushed. Left to itself, Node would first
// wait for every queued V8 background task (optimising compiles of functions the run made hot),
// work nobody needs once the command has returned: tens of milliseconds on a short run.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
  ),
);
process.exit(code);
