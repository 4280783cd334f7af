// @spec-kitty/core/workspace-discovery — deprecated shim of the original's
// `spec_kitty_tracker.workspace_discovery` module.
import { type DiscoveryOptions, discoverWorkspaces as discoverWorkspacesImpl } from '../discovery/discover';
import type { DiscoveredWorkspace, DiscoveryResult } from '../discovery/discovery-types';
import type { NangoConnectionContext } from '../hosted/nango-connection-context';
import { warnDeprecatedOnce } from './warn-once';

export type { DiscoveredWorkspace, DiscoveryResult } from '../discovery/discovery-types';

/** The warning emitted (once per process) on first use of this deprecated subpath. */
export const WORKSPACE_DISCOVERY_DEPRECATION =
  '@spec-kitty/core/workspace-discovery is deprecated. Use discoverWorkspaces from @spec-kitty/core instead, ' +
  'and import DiscoveredWorkspace and DiscoveryResult from the top-level @spec-kitty/core package.';

/** @deprecated Import `discoverWorkspaces` from `@spec-kitty/core`. */
export function discoverWorkspaces(
  provider: string,
  nangoContext: NangoConnectionContext,
  options?: DiscoveryOptions,
): Promise<DiscoveryResult<DiscoveredWorkspace>> {
  warnDeprecatedOnce('SPEC_KITTY_WORKSPACE_DISCOVERY', WORKSPACE_DISCOVERY_DEPRECATION);
  return discoverWorkspacesImpl(provider, nangoContext, options);
}
