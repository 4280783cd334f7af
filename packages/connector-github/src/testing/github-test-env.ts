// Test helpers: a started GitHub fake plus a connector pointed at it. Not exported from the package.
import { GitHubFake, type GitHubFakeOptions } from '@spec-kitty/fake-trackers/github';
import { useFakes } from '@spec-kitty/fake-trackers/testing';
import { GitHubConnector } from '../github-connector';

export const TOKEN = 'ghp_testtoken_1234567890abcdef';

export interface GitHubTestEnv {
  fake: GitHubFake;
  connector: GitHubConnector;
  /** Builds another connector on the same fake (e.g. with a header-stripping fetch). */
  connect(options?: { fetch?: typeof fetch; overlapSeconds?: number }): GitHubConnector;
}

/** A fetch that behaves like a proxy dropping vendor response headers (old Nango). */
export function headerStrippingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const kept = new Headers();
    const type = response.headers.get('content-type');
    if (type) kept.set('content-type', type);
    const body = response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: kept });
  };
}

export async function startGitHubEnv(
  options: GitHubFakeOptions & { overlapSeconds?: number } = {},
): Promise<GitHubTestEnv> {
  const { overlapSeconds, ...fakeOptions } = options;
  const fake = await new GitHubFake({ token: TOKEN, ...fakeOptions }).start();
  const connect = (extra: { fetch?: typeof fetch; overlapSeconds?: number } = {}) =>
    new GitHubConnector(
      {
        owner: fake.owner,
        repo: fake.repo,
        token: TOKEN,
        baseUrl: fake.url,
        overlapSeconds: extra.overlapSeconds ?? overlapSeconds ?? 0,
      },
      extra.fetch ? { fetch: extra.fetch } : {},
    );
  return { fake, connector: connect(), connect };
}

/**
 * For a test file whose tests start their own env: returns the starter; after each test every
 * started fake is closed and the test fails on any spec violation it recorded (`useFakes`).
 */
export function useGitHubEnvs(): typeof startGitHubEnv {
  const track = useFakes();
  return async (options) => {
    const env = await startGitHubEnv(options);
    await track(env.fake);
    return env;
  };
}
