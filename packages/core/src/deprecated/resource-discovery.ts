// @spec-kitty/core/resource-discovery — deprecated shim of the original's
// `spec_kitty_tracker.resource_discovery` module.
import { type DiscoveryOptions, discoverResources as discoverResourcesImpl } from '../discovery/discover';
import type { DiscoveredResource, DiscoveredWorkspace, DiscoveryResult } from '../discovery/discovery-types';
import type { NangoConnectionContext } from '../hosted/nango-connection-context';
import { warnDeprecatedOnce } from './warn-once';

export type { DiscoveredResource, DiscoveryResult } from '../discovery/discovery-types';

/** The warning emitted (once per process) on first use of this deprecated subpath. */
export const RESOURCE_DISCOVERY_DEPRECATION =
  '@spec-kitty/core/resource-discovery is deprecated. Use discoverResources from @spec-kitty/core instead, ' +
  'and import DiscoveredResource and DiscoveryResult from the top-level @spec-kitty/core package.';

/** @deprecated Import `discoverResources` from `@spec-kitty/core`. */
export function discoverResources(
  provider: string,
  workspace: DiscoveredWorkspace,
  nangoContext: NangoConnectionContext,
  options?: DiscoveryOptions,
): Promise<DiscoveryResult<DiscoveredResource>> {
  warnDeprecatedOnce('SPEC_KITTY_RESOURCE_DISCOVERY', RESOURCE_DISCOVERY_DEPRECATION);
  return discoverResourcesImpl(provider, workspace, nangoContext, options);
}
