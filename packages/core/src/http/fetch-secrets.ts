// Kept apart from the client so the hosted transport (on core's root entry) can tag its fetch
// without pulling the HTTP client (and ky) into the root bundle.

/**
 * A `fetch` may carry the secrets it injects (the Nango proxy fetch adds the Nango secret key),
 * so clients built on it redact them too even though they never see the header.
 */
export const FETCH_SECRETS: unique symbol = Symbol.for('spec-kitty.http.fetch-secrets') as never;

export type FetchWithSecrets = typeof globalThis.fetch & { [FETCH_SECRETS]?: readonly string[] };
