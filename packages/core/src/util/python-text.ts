// Helpers that reproduce the original's Python string semantics where messages or validation
// depend on them (str.strip(), repr() of strings, sorted() by code point).

// Python's str.strip() removes Unicode whitespace, which includes \x1c-\x1f and \x85 that JS trim() keeps.
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python treats \x1c-\x1f as whitespace.
const PY_WHITESPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;

export function pyStrip(value: string): string {
  return value.replace(PY_WHITESPACE, '');
}

export function isBlank(value: string | null | undefined): boolean {
  if (value === null || value === undefined || value.length === 0) return true;
  // Fast path: text starting with a printable ASCII character other than space is not blank.
  const first = value.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return pyStrip(value) === '';
}

/** Python `repr()` of a string: single quotes unless the text contains one and no double quote. */
export function pyRepr(value: unknown): string {
  if (typeof value !== 'string') return value === null || value === undefined ? 'None' : String(value);
  const useDouble = value.includes("'") && !value.includes('"');
  const quote = useDouble ? '"' : "'";
  let escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  if (!useDouble) escaped = escaped.replace(/'/g, "\\'");
  return quote + escaped + quote;
}

/** Python repr of a list of strings, e.g. `['a', 'b']`. */
export function pyListRepr(values: readonly string[]): string {
  return `[${values.map(pyRepr).join(', ')}]`;
}

/** A character at or above U+D800: a surrogate, or U+E000–U+FFFF, which sort after one. */
const ABOVE_SURROGATES = /[\ud800-\uffff]/;

function compareCodeUnits(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Sorts `items` in place by `keyOf` in code-point order (as `compareCodePoints`) and returns
 * them. When no key holds a character from U+D800 up, code-unit order is code-point order, so
 * the engine's own string comparison does it instead of a character loop per comparison.
 */
export function sortByCodePoints<T>(items: T[], keyOf: (item: T) => string): T[] {
  const keys = new Array<string>(items.length);
  for (let index = 0; index < items.length; index++) keys[index] = keyOf(items[index] as T);
  const compare = ABOVE_SURROGATES.test(keys.join('')) ? compareCodePoints : compareCodeUnits;
  return items.sort((left, right) => compare(keyOf(left), keyOf(right)));
}

/** Code-point order, like Python's sorted(); never localeCompare. */
export function compareCodePoints(left: string, right: string): number {
  // JS `<` compares UTF-16 code units, which puts characters above U+FFFF (surrogate pairs) before
  // U+E000–U+FFFF; Python and SQLite (BINARY collation on UTF-8) order by code point.
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a === b) continue;
    if (a >= 0xd800 && a <= 0xdfff && b >= 0xe000) return 1;
    if (b >= 0xd800 && b <= 0xdfff && a >= 0xe000) return -1;
    return a < b ? -1 : 1;
  }
  return left.length - right.length < 0 ? -1 : left.length > right.length ? 1 : 0;
}
