import type { JsonValue } from '../util/json-value';

/** A workspace (org, group, site, team space) a hosted connection can see. */
export interface DiscoveredWorkspace {
  /** The vendor's stable id of the workspace. */
  readonly id: string;
  /** Its machine name (login, path, key). */
  readonly name: string;
  /** Its human-readable name. */
  readonly display: string;
  /** What it is in the vendor's terms, e.g. `organization`, `group`, `site`. */
  readonly kind: string;
  /** The provider id. */
  readonly provider: string;
  /** Vendor facts `discoverResources` needs (e.g. a Jira cloud id), or null. */
  readonly providerContext: Readonly<Record<string, JsonValue>> | null;
}

/** A resource (repository, project, team) inside a discovered workspace, ready to bind. */
export interface DiscoveredResource {
  /** The provider id. */
  readonly provider: string;
  /** `id` of the workspace it belongs to. */
  readonly parentWorkspaceId: string;
  /** What it is, e.g. `repository`, `project`, `team`. */
  readonly resourceType: string;
  /** The vendor's stable id of the resource. */
  readonly stableRef: string;
  /** Its human-readable name. */
  readonly displayName: string;
  /** What `connectorParamsToHostedParams` turns into hosted params. */
  readonly connectorParams: Readonly<Record<string, JsonValue>>;
  /** Display and routing extras (display key, resource URL). */
  readonly routingMetadata: Readonly<Record<string, JsonValue>>;
}

/** One page of discovery results. */
export interface DiscoveryResult<T> {
  /** The workspaces or resources found. */
  readonly items: readonly T[];
  /** True when the vendor had more than was listed. */
  readonly truncated: boolean;
}
