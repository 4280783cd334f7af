import type { OutputStream } from './cli-io';
import { redactSecrets } from './credentials';

/** The events `serve` logs, one JSON line each. */
export type ServeLogEvent =
  | 'listening'
  | 'accepted'
  | 'duplicate'
  | 'ignored'
  | 'rejected'
  | 'processed'
  | 'failed'
  | 'sync'
  | 'pruned'
  | 'stopping'
  | 'stopped';

/** Writes one JSON object per line: `time`, `event`, then the event's fields. */
export type ServeLog = (event: ServeLogEvent, fields?: Readonly<Record<string, unknown>>) => void;

/**
 * A structured log on `stream`. Every string field is passed through `redactSecrets` with the
 * secrets the process knows (webhook secrets, tracker credentials), so none reaches the log even
 * when a connector quotes one in an error message.
 */
export function createServeLog(
  stream: OutputStream,
  secrets: () => Iterable<string>,
  now: () => Date = () => new Date(),
): ServeLog {
  return (event, fields = {}) => {
    const line = JSON.stringify({ time: now().toISOString(), event, ...fields }, (_key, value) => {
      if (value instanceof Error) return redactSecrets(value.message, secrets());
      if (typeof value === 'string') return redactSecrets(value, secrets());
      return value;
    });
    stream.write(`${line}\n`);
  };
}
