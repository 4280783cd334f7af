import { describe, expect, it } from 'vitest';
import { compareCodePoints, pyRepr, pyStrip } from './python-text';

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
