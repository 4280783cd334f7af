import { describe, expect, it } from 'vitest';
import { isSecretKey, redactSecrets, resolveCredentials } from './credentials';

describe('credentials', () => {
  it('recognises secret config keys and leaves others alone', () => {
    for (const key of [
      'token',
      'apiToken',
      'apiKey',
      'api-key',
      'password',
      'clientSecret',
      'pat',
      'credential',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['owner', 'repo', 'baseUrl', 'email', 'projectKey', 'path', 'command', 'timeoutMs']) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('reads credentials from the environment, flags win', () => {
    expect(resolveCredentials({ token: 'GITHUB_TOKEN' }, [], { GITHUB_TOKEN: 'env-secret' })).toEqual({
      token: 'env-secret',
    });
    expect(
      resolveCredentials({ token: 'GITHUB_TOKEN' }, ['token=flag-secret'], { GITHUB_TOKEN: 'env-secret' }),
    ).toEqual({
      token: 'flag-secret',
    });
    expect(resolveCredentials({}, ['apiKey=a=b'], {})).toEqual({ apiKey: 'a=b' });
  });

  it('lists every missing variable by name, never a value', () => {
    expect(() =>
      resolveCredentials({ token: 'GITHUB_TOKEN', apiKey: 'OTHER' }, [], { GITHUB_TOKEN: '' }),
    ).toThrow(
      /Missing credentials: token \(environment variable GITHUB_TOKEN\), apiKey \(environment variable OTHER\)/,
    );
    expect(() => resolveCredentials({}, ['novalue'], {})).toThrow(/--credential expects key=value/);
  });

  it('redacts known secrets from messages', () => {
    expect(redactSecrets('bad token ghp_abcdef in url ?t=ghp_abcdef', ['ghp_abcdef'])).toBe(
      'bad token *** in url ?t=***',
    );
  });
});
