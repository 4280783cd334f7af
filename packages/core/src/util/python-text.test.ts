import { describe, expect, it } from 'vitest';
import { compareCodePoints, pyRepr, pyStrip, sortByCodePoints } from './python-text';

describe('compareCodePoints', () => {
  it('orders like Python sorted(): by code point, not UTF-16 code unit', () => {
    const emoji = 'a\u{1F600}'; // U+1F600 is a surrogate pair in UTF-16
    const privateUse = 'a\uE000';
    expect(emoji < privateUse).toBe(true); // what plain JS comparison says
    expect([emoji, privateUse].sort(compareCodePoints)).toEqual([privateUse, emoji]);
    expect(['I-2', 'I-10', 'I-1'].sort(compareCodePoints)).toEqual(['I-1', 'I-10', 'I-2']);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
    expect(compareCodePoints('ab', 'abc')).toBe(-1);
    expect(compareCodePoints('b', 'abc')).toBe(1);
  });
});

describe('pyStrip and pyRepr', () => {
  it('strip Python whitespace and quote like repr()', () => {
    expect(pyStrip('\x1c x \x85')).toBe('x');
    expect(pyRepr('severity')).toBe("'severity'");
    expect(pyRepr("it's")).toBe('"it\'s"');
  });
});

describe('sortByCodePoints', () => {
  const order = (values: string[]) => [...values].sort(compareCodePoints);

  it('sorts as compareCodePoints, with or without characters from U+D800 up', () => {
    const plain = ['memory:b:10', 'memory:b:9', 'memory:a:1', 'Z', 'a', '', 'memory:b:1'];
    expect(sortByCodePoints([...plain], (value) => value)).toEqual(order(plain));
    // An astral character (a surrogate pair) sorts after U+FFFD by code point, before it by code unit.
    const high = ['x\u{1F600}', 'x\uFFFD', 'x\uE000', 'xa', 'x'];
    expect(sortByCodePoints([...high], (value) => value)).toEqual(order(high));
    expect(order(high)).toEqual(['x', 'xa', 'x\uE000', 'x\uFFFD', 'x\u{1F600}']);
  });

  it('sorts items by their key, in place', () => {
    const items = [{ key: 'b' }, { key: 'a\u{10000}' }, { key: 'a\uFFFF' }];
    const sorted = sortByCodePoints(items, (item) => item.key);
    expect(sorted).toBe(items);
    expect(sorted.map((item) => item.key)).toEqual(['a\uFFFF', 'a\u{10000}', 'b']);
  });
});
