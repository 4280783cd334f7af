import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_FILE,
  configPathFor,
  findConfigPath,
  loadConfig,
  parseConfig,
  policyOf,
  saveConfig,
} from './cli-config';
import { UsageError } from './exit-codes';
import { tempProject } from './test-support';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempProject());
});
afterEach(() => cleanup());

describe('tracker config', () => {
  it('fills defaults for a minimal config', () => {
    const config = parseConfig({ version: 1 }, 'x.json');
    expect(config).toMatchObject({
      connector: {},
      credentialEnv: {},
      // Every field shared: `edit` then `push` sends the edit (issue 12).
      policy: { mode: 'split_ownership', fieldOwners: {}, defaultOwner: 'shared' },
      strategy: 'newer_timestamp',
      strictManualReview: false,
      maxRetryAttempts: 2,
      pageSize: 100,
      store: '.spec-kitty/tracker.db',
    });
  });

  it('refuses a URL carrying a credential, without echoing it', () => {
    for (const url of [
      'https://user:s3cretTOKEN@github.example.com/api/v3',
      'https://gitlab.example.com/api/v4?private_token=s3cretTOKEN',
      'https://example.com/x?access_token=s3cretTOKEN',
    ]) {
      const error = (() => {
        try {
          parseConfig({ version: 1, connector: { nested: { baseUrl: url } } }, 'cfg.json');
        } catch (caught) {
          return caught as Error;
        }
        return null;
      })();
      expect(error?.message).toContain('URL with a credential');
      expect(error?.message).not.toContain('s3cretTOKEN');
    }
    expect(
      parseConfig({ version: 1, connector: { baseUrl: 'https://example.com/x?page=2' } }, 'c').connector,
    ).toEqual({ baseUrl: 'https://example.com/x?page=2' });
  });

  it('refuses a policy owner for a field that does not exist', () => {
    expect(() =>
      parseConfig(
        { version: 1, policy: { mode: 'split_ownership', fieldOwners: { colour: 'local' } } },
        'cfg.json',
      ),
    ).toThrow(/policy\.fieldOwners\.colour: must name a field: title, body, status/);
    expect(
      parseConfig(
        { version: 1, policy: { mode: 'split_ownership', fieldOwners: { issue_type: 'local' } } },
        'c',
      ).policy.fieldOwners,
    ).toEqual({ issue_type: 'local' });
  });

  it('names every bad field and the file', () => {
    const error = (() => {
      try {
        parseConfig(
          { version: 1, policy: { mode: 'nope' }, pageSize: 0, strategy: 3, extra: true },
          'cfg.json',
        );
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toContain('Invalid config cfg.json');
    expect(error?.message).toMatch(/policy\.mode: must be one of external_authoritative/);
    expect(error?.message).toMatch(/pageSize: must be >= 1/);
    expect(error?.message).toMatch(/strategy: must be one of/);
    expect(error?.message).toMatch(/extra: unknown field/);
  });

  it('rejects credentials stored in the connector settings', () => {
    for (const key of ['token', 'apiToken', 'apiKey', 'api_key', 'password', 'clientSecret']) {
      expect(() => parseConfig({ version: 1, connector: { [key]: 'x' } }, 'c.json'), key).toThrow(
        /connector: holds a credential/,
      );
    }
    expect(() =>
      parseConfig({ version: 1, connector: { owner: 'octo', baseUrl: 'http://x' } }, 'c.json'),
    ).not.toThrow();
  });

  it('validates environment variable names in credentialEnv', () => {
    expect(() => parseConfig({ version: 1, credentialEnv: { token: 'not a var' } }, 'c.json')).toThrow(
      /credentialEnv\.token: must be an environment variable name/,
    );
  });

  it('finds the config in a parent directory and resolves the store against the project', () => {
    const path = join(dir, '.spec-kitty', CONFIG_FILE);
    saveConfig(path, parseConfig({ version: 1, provider: 'memory' }, path));
    const nested = join(dir, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    expect(findConfigPath(nested)).toBe(path);
    expect(configPathFor(nested, undefined)).toBe(path);
    const loaded = loadConfig(path);
    expect(loaded.projectDir).toBe(dir);
    expect(JSON.parse(readFileSync(path, 'utf8')).provider).toBe('memory');
  });

  it('explains a missing or malformed file', () => {
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(
      /No tracker config at .*spec-kitty-tracker init/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadConfig(bad)).toThrow(/bad\.json is not valid JSON/);
  });

  it('maps the policy section onto an OwnershipPolicy', () => {
    const split = policyOf(
      parseConfig(
        {
          version: 1,
          policy: { mode: 'split_ownership', fieldOwners: { title: 'local' }, defaultOwner: 'external' },
        },
        'c',
      ),
    );
    expect(split).toMatchObject({
      mode: 'split_ownership',
      splitFieldOwners: { title: 'local' },
      defaultSplitOwner: 'external',
    });
    expect(
      policyOf(parseConfig({ version: 1, policy: { mode: 'spec_kitty_authoritative' } }, 'c')).mode,
    ).toBe('spec_kitty_authoritative');
  });
});
