/** Minimal structured logger hosts can inject; the library never logs secrets through it. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => {};

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
