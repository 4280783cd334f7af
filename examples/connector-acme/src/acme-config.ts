import * as v from 'valibot';

/** Where the Acme Tracker API lives unless `baseUrl` says otherwise. */
export const DEFAULT_ACME_BASE_URL = 'https://api.acme-tracker.example';

const text = (field: string) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`));

/** The connector config: every field is checked once, here. */
export const acmeConfigSchema = v.strictObject({
  /** The Acme project slug, e.g. `demo`. */
  project: v.pipe(text('project'), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'project must be a slug such as demo')),
  /** API token (secret: the CLI reads it from ACME_TOKEN). */
  token: text('token'),
  baseUrl: v.optional(v.pipe(v.string(), v.url('baseUrl must be an absolute URL')), DEFAULT_ACME_BASE_URL),
});

/** What a user writes. */
export type AcmeConnectorConfigInput = v.InferInput<typeof acmeConfigSchema>;
/** The validated config (defaults applied). */
export type AcmeConnectorConfig = v.InferOutput<typeof acmeConfigSchema>;
