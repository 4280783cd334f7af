import {
  ConnectorRequestError,
  createConnector,
  FailureClass,
  type PluginRegistry,
  type TrackerConnector,
} from '@spec-kitty/core';
import type { Binding } from './binding';
import type { Credential } from './credentials';

/** Builds the connector of a binding from its config and resolved credential. */
export type ConnectorFactory = (
  binding: Binding,
  credential: Credential | null,
) => TrackerConnector | Promise<TrackerConnector>;

/**
 * The default factory: the connector registered under `binding.provider` (the host imports the
 * connector packages it allows), config = binding config plus the credential (a string becomes
 * `token`, an object's fields are merged).
 */
export function registryConnectorFactory(registry?: PluginRegistry): ConnectorFactory {
  return (binding, credential) => {
    const secret =
      credential === null ? {} : typeof credential === 'string' ? { token: credential } : credential;
    const config = { ...binding.config, ...secret } as never;
    // The provider id is only known at run time; the definition's schema validates the config.
    const provider = binding.provider as never;
    return registry ? registry.create(provider, config) : createConnector(provider, config);
  };
}

/** The longest rate-limit reset a connector reported during a run. */
export interface RateLimitProbe {
  /** Seconds until the tracker accepts requests again, or null when no call was rate-limited. */
  retryAfterSeconds(): number | null;
  /** Whether any call was refused as rate-limited. */
  limited(): boolean;
}

/**
 * Wraps a connector so the worker sees the rate-limit resets of failed calls (the engine's
 * failure records keep only the message), to schedule the retry after the reset.
 */
export function probeRateLimits(connector: TrackerConnector): {
  connector: TrackerConnector;
  probe: RateLimitProbe;
} {
  let limited = false;
  let retryAfter: number | null = null;
  const note = (error: unknown) => {
    if (ConnectorRequestError.isInstance(error) && error.failureClass === FailureClass.RATE_LIMIT) {
      limited = true;
      if (error.retryAfterSeconds !== null) retryAfter = Math.max(retryAfter ?? 0, error.retryAfterSeconds);
    }
  };
  const wrapped = new Proxy(connector, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = Reflect.apply(value, target, args);
        } catch (error) {
          note(error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            note(error);
            throw error;
          });
        }
        return result;
      };
    },
  });
  return { connector: wrapped, probe: { retryAfterSeconds: () => retryAfter, limited: () => limited } };
}
