// `pnpm cli <args>`: the clone's built CLI, run in the directory pnpm was started from (pnpm runs
// root scripts in the repository root, and says where it was started in INIT_CWD).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = new URL('../packages/cli/dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(bin))) {
  console.error('The CLI is not built yet: run `pnpm build` (or `npm run demo`) in the clone first.');
  process.exit(2);
}
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for this script; no turbo task reads it
const startedIn = process.env.INIT_CWD;
if (startedIn) process.chdir(startedIn);
await import(bin.href);
