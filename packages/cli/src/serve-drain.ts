import type { SyncEngine, SyncResult, WebhookInbox } from '@spec-kitty/core';
import * as core from '@spec-kitty/core';

// Core's `drainWebhookInbox` (INTERFACES.md), looked up at run time until the core this package
// builds against exports it; `serve` refuses to process without it.

export interface DrainOptions {
  readonly binding: string;
  readonly gap?: 'restart' | null;
  readonly signal?: AbortSignal;
}

export interface DrainResult {
  readonly claimed: number;
  readonly completed: number;
  readonly retried: number;
  readonly dead: number;
  readonly results: readonly SyncResult[];
}

type Drain = (engine: SyncEngine, inbox: WebhookInbox, options: DrainOptions) => Promise<DrainResult>;

/** Core's drain, or null when this core has none. */
export function coreDrain(): Drain | null {
  const drain = (core as Record<string, unknown>).drainWebhookInbox;
  return typeof drain === 'function' ? (drain as Drain) : null;
}
