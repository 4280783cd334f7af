// The original's `connector_params_to_hosted_params`: turns a discovered resource's
// `connectorParams` into the params `createHostedConnector` takes. Core checks the required keys
// (so the message is the original's whether or not the connector is installed); the connector
// package builds its own params object (`definition.hosted.paramsFromConnectorParams`).
import { ConnectorConfigError } from '../errors/errors';
import { assertHostedProvider, type HostedProviderSlug, hostedDefinition } from '../hosted/hosted-connector';
import { globalConnectorRegistry, type PluginRegistry } from '../registry/plugin-registry';
import type { JsonValue } from '../util/json-value';
import { pyListRepr } from '../util/python-text';

/** Keys each hosted provider needs in `connectorParams`, in the original's order. */
export const REQUIRED_CONNECTOR_PARAMS: Readonly<Record<HostedProviderSlug, readonly string[]>> =
  Object.freeze({
    linear: Object.freeze(['team_id']),
    jira: Object.freeze(['project_key', 'base_url']),
    github: Object.freeze(['owner', 'repo']),
    gitlab: Object.freeze(['project_id']),
  });

export function connectorParamsToHostedParams(
  provider: string,
  connectorParams: Readonly<Record<string, JsonValue>>,
  options: { registry?: PluginRegistry } = {},
): unknown {
  assertHostedProvider(provider);
  const missing = REQUIRED_CONNECTOR_PARAMS[provider].filter((key) => !(key in connectorParams));
  if (missing.length > 0)
    throw new ConnectorConfigError(`Missing required connector_params keys: ${pyListRepr(missing)}`);
  const definition = hostedDefinition(provider, options.registry ?? globalConnectorRegistry());
  return definition.hosted!.paramsFromConnectorParams(connectorParams);
}
