// Module loader hooks of record-module-loads.mjs (they run on the loader's own thread).
import { appendFileSync } from 'node:fs';

const out = process.env.RECORD_MODULE_LOADS;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (out) appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
