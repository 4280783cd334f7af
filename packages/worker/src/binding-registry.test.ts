import { OwnershipPolicy } from '@spec-kitty/core';
import { migrateComponent, PostgresStore } from '@spec-kitty/store-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BindingRegistry } from './binding-registry';
import { credentialEnvName, envCredentialResolver } from './credentials';
import { databaseUrl, dropWorkerSchema, freshSchema } from './test-support';
import { BindingValidationError } from './worker-errors';
import { WORKER_COMPONENT, WORKER_MIGRATIONS } from './worker-migrations';

const schema = freshSchema('bindings');
let store: PostgresStore;
let registry: BindingRegistry;
beforeAll(async () => {
  store = await PostgresStore.open({ connectionString: databaseUrl(), schema, poolSize: 8 });
  await migrateComponent(store.pool, { schema, component: WORKER_COMPONENT, migrations: WORKER_MIGRATIONS });
  registry = new BindingRegistry(store.pool, schema);
});
afterAll(async () => {
  await store.close();
  await dropWorkerSchema(schema);
});

describe('BindingRegistry', () => {
  it('adds, lists, replaces and removes bindings', async () => {
    const added = await registry.add({
      id: 'team-1/github',
      provider: 'github',
      config: { owner: 'octo', repo: 'hello' },
      credentialRef: 'github-team-1',
      policy: OwnershipPolicy.externalAuthoritative(),
      intervalSeconds: 300,
      syncOptions: { limit: 50 },
    });
    expect(added).toMatchObject({
      provider: 'github',
      credentialRef: 'github-team-1',
      intervalSeconds: 300,
      status: 'active',
    });
    await expect(registry.add({ id: 'team-1/github', provider: 'github' })).rejects.toThrow(/already exists/);
    await registry.add({ id: 'team-1/github', provider: 'github', intervalSeconds: 60 }, { replace: true });
    expect((await registry.require('team-1/github')).intervalSeconds).toBe(60);
    expect((await registry.list({ provider: 'github' })).map((binding) => binding.id)).toEqual([
      'team-1/github',
    ]);
    expect(await registry.remove('team-1/github')).toBe(true);
    expect(await registry.remove('team-1/github')).toBe(false);
  });

  it('refuses secrets in the config: credentials are referenced by name', async () => {
    await expect(
      registry.add({
        id: 'leaky',
        provider: 'github',
        config: { owner: 'o', repo: 'r', token: 'ghp_secret' },
      }),
    ).rejects.toThrow(BindingValidationError);
    await expect(
      registry.add({ id: 'leaky', provider: 'jira', config: { auth: { apiToken: 'x' } } }),
    ).rejects.toThrow(/auth\.apiToken/);
    const error: unknown = await registry
      .add({ id: 'leaky', provider: 'github', config: { password: 'hunter2' } })
      .catch((caught: unknown) => caught);
    expect(BindingValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).not.toContain('hunter2');
    // The hosted marker is not a secret.
    await registry.add({ id: 'hosted', provider: 'github', config: { token: 'nango-managed' } });
    expect(await registry.get('leaky')).toBeNull();
  });

  it('resolves credentials from the environment by name', async () => {
    const resolve = envCredentialResolver({
      [credentialEnvName('github-team-1')]: 'ghp_abc',
      [credentialEnvName('jira.acme')]: '{"email":"a@b.c","apiToken":"t"}',
    });
    const binding = await registry.add({ id: 'cred', provider: 'github' });
    expect(credentialEnvName('github-team-1')).toBe('SPEC_KITTY_CREDENTIAL_GITHUB_TEAM_1');
    expect(await resolve('github-team-1', binding)).toBe('ghp_abc');
    expect(await resolve('jira.acme', binding)).toEqual({ email: 'a@b.c', apiToken: 't' });
    expect(await resolve('missing', binding)).toBeNull();
  });

  it('claims each due binding once across concurrent schedulers and moves it an interval ahead', async () => {
    await registry.addMany(
      Array.from({ length: 60 }, (_, index) => ({
        id: `due-${index}`,
        provider: 'memory',
        intervalSeconds: 3600,
      })),
    );
    const claims = await Promise.all(Array.from({ length: 4 }, () => registry.claimDue(25)));
    const claimed = claims
      .flat()
      .map((binding) => binding.id)
      .filter((id) => id.startsWith('due-'));
    expect(new Set(claimed).size).toBe(claimed.length);
    const rest = (await registry.claimDue(500)).filter((binding) => binding.id.startsWith('due-'));
    expect(claimed.length + rest.length).toBe(60);
    expect((await registry.claimDue(500)).filter((binding) => binding.id.startsWith('due-'))).toEqual([]);
    expect((await registry.require('due-0')).nextRunAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('dead-letters after maxAttempts failures in a row, keeps the last error, and resets', async () => {
    await registry.add({ id: 'flaky', provider: 'memory' });
    expect(await registry.recordFailure('flaky', 'first', 3)).toEqual({ failures: 1, deadLettered: false });
    await registry.recordSuccess('flaky');
    expect((await registry.require('flaky')).consecutiveFailures).toBe(0);
    await registry.recordFailure('flaky', 'one', 2);
    expect(await registry.recordFailure('flaky', 'two', 2)).toEqual({ failures: 2, deadLettered: true });
    const dead = await registry.require('flaky');
    expect(dead).toMatchObject({ status: 'dead_letter', lastError: 'two' });
    expect(dead.deadLetteredAt).toBeInstanceOf(Date);
    expect((await registry.claimDue(500)).map((binding) => binding.id)).not.toContain('flaky');
    expect(await registry.reset('flaky')).toMatchObject({ status: 'active', consecutiveFailures: 0 });
  });
});
