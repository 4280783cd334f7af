// `import '@spec-kitty/core'` must not load ky: its import-time fetch feature probe costs every
// process that imports core tens of milliseconds of CPU, needed only once a request is sent.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

// A resolve hook (registered before the entry loads) that refuses the bare specifier `ky`.
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'ky') throw new Error('ky was loaded');
  return next(specifier, context);
}`;
const register = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`;

/** Imports `entry` in a fresh Node process that refuses to load ky; returns what it reports. */
function importRefusingKy(steps: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', steps],
    { encoding: 'utf8', cwd: distDir },
  );
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe('core root import graph', () => {
  it('is built (the test reads dist/, which `turbo run test` builds first)', () => {
    expect(existsSync(`${distDir}index.js`)).toBe(true);
  });

  it('imports the root entry without loading ky; ky loads on the first request', () => {
    const root = pathToFileURL(`${distDir}index.js`).href;
    const http = pathToFileURL(`${distDir}http.js`).href;
    const { status, stdout, stderr } = importRefusingKy(`
      const core = await import(${JSON.stringify(root)});
      console.log('root:' + typeof core.createConnectorRegistry);
      const { createHttpClient } = await import(${JSON.stringify(http)});
      const client = createHttpClient({ baseUrl: 'http://127.0.0.1:9', provider: 'probe', retry: false,
        fetch: async () => new Response('{}') });
      console.log('client:' + typeof client.request);
      try { await client.request({ method: 'GET', path: '/x' }); console.log('request:sent'); }
      catch (error) { console.log('request:' + String(error?.message ?? error)); }
    `);
    // The root and createHttpClient load without ky; the first request is what imports it (and
    // the hook refuses it, which proves the hook sees ky's import).
    expect(stdout.split('\n')).toEqual(['root:function', 'client:function', 'request:ky was loaded']);
    expect(status, stderr).toBe(0);
  });
});
