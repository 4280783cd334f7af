// One validation path for connector config: connector constructors, the registry's `create` and
// the hosted factory all turn schema issues into the same ConnectorConfigError.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConnectorConfigError, type ConnectorConfigIssue } from '../errors/errors';
import { formatIssuePath } from '../http/schema-path';

/**
 * Validates `input` against a connector's (synchronous) config schema and returns the validated
 * config. Throws `ConnectorConfigError` whose message and `issues` name every bad field, e.g.
 * `Invalid config for connector "github": token: token must not be empty`.
 *
 * With `options.aloneMessage`, an issue carrying exactly that message is thrown as that message
 * alone (no connector id, no field list): connectors whose original said only, say, "owner, repo
 * and token are required" keep that wording.
 */
export function parseConnectorConfig<Config>(
  connectorId: string,
  schema: StandardSchemaV1<unknown, Config>,
  input: unknown,
  options: { readonly aloneMessage?: string } = {},
): Config {
  const result = schema['~standard'].validate(input);
  if (result instanceof Promise) {
    throw new ConnectorConfigError(
      `Connector "${connectorId}" has an async config schema; config schemas must be synchronous.`,
      { connectorId },
    );
  }
  if (result.issues) {
    const { aloneMessage } = options;
    if (aloneMessage !== undefined && result.issues.some((issue) => issue.message === aloneMessage))
      throw new ConnectorConfigError(aloneMessage);
    const issues: ConnectorConfigIssue[] = result.issues.map((issue) => ({
      path: formatIssuePath(issue),
      message: issue.message,
    }));
    const details = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new ConnectorConfigError(`Invalid config for connector "${connectorId}": ${details}`, {
      connectorId,
      issues,
    });
  }
  return result.value;
}
