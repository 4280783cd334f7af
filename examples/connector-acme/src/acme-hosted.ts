// Hosted mode: the Nango proxy holds the credential, so hosted params carry only the project.
import { ConnectorConfigError, type JsonValue, NANGO_MANAGED_TOKEN } from '@spec-kitty/core';
import * as v from 'valibot';
import { type AcmeConnectorConfig, DEFAULT_ACME_BASE_URL } from './acme-config.js';

const acmeHostedParamsSchema = v.strictObject({
  project: v.pipe(v.string('project must be a string'), v.trim(), v.nonEmpty('project must not be empty')),
});

/** What a hosted Acme connection needs: the project slug. */
export type AcmeHostedParams = v.InferOutput<typeof acmeHostedParamsSchema>;

/** The `hosted` block of the definition. */
export const acmeHosted = {
  paramsSchema: acmeHostedParamsSchema,
  toConfig: (params: AcmeHostedParams): AcmeConnectorConfig => ({
    project: params.project,
    token: NANGO_MANAGED_TOKEN,
    baseUrl: DEFAULT_ACME_BASE_URL,
  }),
  paramsFromConnectorParams(params: Readonly<Record<string, JsonValue>>): AcmeHostedParams {
    if (typeof params.project !== 'string') {
      throw new ConnectorConfigError(
        'Missing required connector_params keys: project (the Acme project slug)',
      );
    }
    return { project: params.project };
  },
  requiredConnectorParams: ['project'],
  nangoProviderKey: 'acme',
  discoveryBaseUrl: DEFAULT_ACME_BASE_URL,
};
