// The public surface is a contract: a committed snapshot pins it, and docs/PUBLIC_API.md must
// name every runtime export (the original enforced both). Update with `vitest -u` on purpose only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPABILITY_FLAGS } from './capabilities';
import * as http from './http/index';
import * as root from './index';
import { FORBIDDEN_TEAMSPACE_LEGACY_KEYS } from './index';
import * as internal from './internal/index';
import * as processRunner from './process/index';
import * as storeHelpers from './store/index';
import * as webhookHelpers from './webhooks/index';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
  version: string;
};
const publicApiDoc = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'docs', 'PUBLIC_API.md'),
  'utf8',
);

function errorChain(value: unknown): string[] {
  const chain: string[] = [];
  let current = value;
  while (typeof current === 'function' && 'errorName' in current) {
    chain.push(String((current as { errorName: string }).errorName));
    current = Object.getPrototypeOf(current);
  }
  return chain;
}

function mentions(text: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(
    text,
  );
}

describe('public surface', () => {
  const rootNames = Object.keys(root).sort();
  const httpNames = Object.keys(http).sort();
  const processNames = Object.keys(processRunner).sort();
  const storeNames = Object.keys(storeHelpers).sort();
  const internalNames = Object.keys(internal).sort();
  const webhookNames = Object.keys(webhookHelpers).sort();

  it('matches the committed snapshot, with the package version as header', async () => {
    const surface = {
      version: manifest.version,
      root: rootNames,
      http: httpNames,
      process: processNames,
      store: storeNames,
      internal: internalNames,
      webhooks: webhookNames,
      capabilityFlags: [...CAPABILITY_FLAGS],
      errors: Object.fromEntries(
        rootNames
          .filter((name) => name.endsWith('Error'))
          .map((name) => [name, errorChain((root as Record<string, unknown>)[name])]),
      ),
    };
    expect(root.VERSION).toBe(manifest.version);
    await expect(JSON.stringify(surface, null, 2)).toMatchFileSnapshot('./__snapshots__/public-surface.json');
  });

  it('is documented in docs/PUBLIC_API.md', () => {
    for (const heading of [
      'Stable Public API',
      'Capability Negotiation',
      'Additive Evolution',
      'Deprecation',
      'Consumer Inventory',
      'Legacy Negatives',
      'Data and Credential Non-Ownership',
      'Local Migration Boundaries',
    ]) {
      expect(publicApiDoc, heading).toContain(heading);
    }
    const required = [
      ...rootNames,
      ...httpNames,
      ...processNames,
      '@spec-kitty/core/process',
      ...storeNames,
      '@spec-kitty/core/store',
      ...internalNames,
      '@spec-kitty/core/internal',
      ...webhookNames,
      '@spec-kitty/core/webhooks',
      ...CAPABILITY_FLAGS,
      ...FORBIDDEN_TEAMSPACE_LEGACY_KEYS,
      '@spec-kitty/core/workspace-discovery',
      '@spec-kitty/core/resource-discovery',
      'spec-kitty',
      'spec-kitty-saas',
      'NANGO_MANAGED_TOKEN',
    ];
    const missing = required.filter((word) => !mentions(publicApiDoc, word));
    expect(missing, `add these to docs/PUBLIC_API.md: ${missing.join(', ')}`).toEqual([]);
  });
});
