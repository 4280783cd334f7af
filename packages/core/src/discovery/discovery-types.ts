import type { JsonValue } from '../util/json-value';

export interface DiscoveredWorkspace {
  readonly id: string;
  readonly name: string;
  readonly display: string;
  readonly kind: string;
  readonly provider: string;
  readonly providerContext: Readonly<Record<string, JsonValue>> | null;
}

export interface DiscoveredResource {
  readonly provider: string;
  readonly parentWorkspaceId: string;
  readonly resourceType: string;
  readonly stableRef: string;
  readonly displayName: string;
  readonly connectorParams: Readonly<Record<string, JsonValue>>;
  readonly routingMetadata: Readonly<Record<string, JsonValue>>;
}

export interface DiscoveryResult<T> {
  readonly items: readonly T[];
  readonly truncated: boolean;
}
