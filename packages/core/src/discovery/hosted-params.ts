// The original's `connector_params_to_hosted_params`: turns a discovered resource's
// `connectorParams` into the params `createHostedConnector` takes. The required keys are the
// definition's `hosted.requiredConnectorParams`, checked here so every connector reports a
// missing key with the original's message; the definition builds the params object.
import { ConnectorConfigError } from '../errors/errors';
import { assertHostedProvider, hostedDefinition } from '../hosted/hosted-connector';
import { type ConnectorRegistry, globalConnectorRegistry } from '../registry/plugin-registry';
import type { JsonValue } from '../util/json-value';
import { pyListRepr } from '../util/python-text';

/**
 * A discovered resource's `connectorParams` → the hosted params of `provider` (any registered
 * definition with hosted facts). Missing required keys raise the original's
 * `Missing required connector_params keys: [...]`.
 */
export function connectorParamsToHostedParams(
  provider: string,
  connectorParams: Readonly<Record<string, JsonValue>>,
  options: { registry?: ConnectorRegistry } = {},
): unknown {
  const registry = options.registry ?? globalConnectorRegistry();
  assertHostedProvider(provider, { registry });
  const definition = hostedDefinition(provider, registry);
  const missing = definition.hosted.requiredConnectorParams.filter((key) => !(key in connectorParams));
  if (missing.length > 0)
    throw new ConnectorConfigError(`Missing required connector_params keys: ${pyListRepr(missing)}`);
  return definition.hosted.paramsFromConnectorParams(connectorParams);
}
