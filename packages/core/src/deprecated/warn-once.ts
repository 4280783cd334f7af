// One DeprecationWarning per process per shim, emitted on first use rather than at import so
// core stays `"sideEffects": false` (bundlers may drop unused imports freely). The "already
// warned" set lives on globalThis so two copies of core still warn once.
const WARNED = Symbol.for('spec-kitty.deprecation-warnings');

export function warnDeprecatedOnce(code: string, message: string): void {
  const holder = globalThis as { [WARNED]?: Set<string> };
  holder[WARNED] ??= new Set<string>();
  if (holder[WARNED].has(code)) return;
  holder[WARNED].add(code);
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(message, { type: 'DeprecationWarning', code });
  }
}
