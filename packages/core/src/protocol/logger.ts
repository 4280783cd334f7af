/** Minimal structured logger hosts can inject; the library never logs secrets through it. */
export interface Logger {
  /** Detail for troubleshooting. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Normal progress. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something the host should know about. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure. */
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => {};

/** Drops everything. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** Logs warnings and errors to the console; debug/info are dropped. */
export const consoleLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: (message: string, fields?: Record<string, unknown>) =>
    fields ? console.warn(`[spec-kitty] ${message}`, fields) : console.warn(`[spec-kitty] ${message}`),
  error: (message: string, fields?: Record<string, unknown>) =>
    fields ? console.error(`[spec-kitty] ${message}`, fields) : console.error(`[spec-kitty] ${message}`),
});
