import { checkAdfDocument } from '@spec-kitty/fake-trackers/jira';
import { describe, expect, it } from 'vitest';
import { adfPlainText, adfToMarkdown, markdownToAdf } from './jira-adf';

const RICH = [
  '# Title',
  '',
  'A paragraph with **bold**, *em*, ~~gone~~, `code`, a [link](https://example.com/a_b) and ***both***.',
  'Second line of the same paragraph.',
  '',
  '## Lists',
  '',
  '- one',
  '- two',
  '  - nested *two.a*',
  '  - nested two.b',
  '    1. deep ordered',
  '    2. deep second',
  '- three',
  '',
  '3. starts at three',
  '4. four',
  '',
  '```ts',
  'const x = 1;',
  '',
  'function f() { return `t`; }',
  '```',
  '',
  '> quoted **text**',
  '>',
  '> - quoted list',
  '',
  '---',
  '',
  'snake_case_name and 2 * 3 and a_b_c stay literal; \\*escaped\\*.',
].join('\n');

describe('Markdown -> ADF', () => {
  it('produces valid ADF for a rich document', () => {
    const doc = markdownToAdf(RICH);
    expect(checkAdfDocument(doc, 'doc')).toEqual([]);
    expect(doc.content.map((node) => node.type)).toEqual([
      'heading',
      'paragraph',
      'heading',
      'bulletList',
      'orderedList',
      'codeBlock',
      'blockquote',
      'rule',
      'paragraph',
    ]);
    expect(doc.content[4]?.attrs).toEqual({ order: 3 });
    expect(doc.content[5]).toEqual({
      type: 'codeBlock',
      attrs: { language: 'ts' },
      content: [{ type: 'text', text: 'const x = 1;\n\nfunction f() { return `t`; }' }],
    });
  });

  it('maps inline marks and hard breaks', () => {
    const paragraph = markdownToAdf('**b** *e* `c` [l](https://x.test)\nnext').content[0];
    expect(paragraph?.content).toEqual([
      { type: 'text', text: 'b', marks: [{ type: 'strong' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'e', marks: [{ type: 'em' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'c', marks: [{ type: 'code' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'l', marks: [{ type: 'link', attrs: { href: 'https://x.test' } }] },
      { type: 'hardBreak' },
      { type: 'text', text: 'next' },
    ]);
  });

  it('keeps nested list structure', () => {
    const list = markdownToAdf('- a\n  - b\n    - c\n- d').content[0];
    expect(list?.content?.[0]?.content?.[1]?.type).toBe('bulletList');
    expect(list?.content?.[0]?.content?.[1]?.content?.[0]?.content?.[1]?.type).toBe('bulletList');
    expect(list?.content).toHaveLength(2);
  });

  it('never emits empty text nodes (Jira rejects them)', () => {
    expect(markdownToAdf('')).toEqual({ type: 'doc', version: 1, content: [] });
    expect(markdownToAdf(null)).toEqual({ type: 'doc', version: 1, content: [] });
    expect(checkAdfDocument(markdownToAdf('**\n\n#\n\n-'), 'doc')).toEqual([]);
  });
});

describe('ADF <-> Markdown round trips', () => {
  it('Markdown -> ADF -> Markdown is the identity on normalised Markdown', () => {
    expect(adfToMarkdown(markdownToAdf(RICH))).toBe(RICH);
  });

  it.each([
    'plain text',
    'multi\nline\ntext',
    'para one\n\npara two',
    '1. a\n2. b\n   - c',
    '- item\n\n  second paragraph in item',
    'a * b and c_d and 5 > 4',
    '\\# not a heading\n\\- not a list\n1\\. not ordered',
    '[label with `code`](https://example.com/x)',
    '**bold with *nested em* inside**',
    '````md\n```\ninner fence\n```\n````',
    '| Name | Value |\n| --- | --- |\n| **a** | `1 \\| 2` |\n|  | empty first |',
  ])('round-trips %j', (markdown) => {
    const adf = markdownToAdf(markdown);
    expect(checkAdfDocument(adf, 'doc')).toEqual([]);
    expect(adfToMarkdown(adf)).toBe(markdown);
    expect(markdownToAdf(adfToMarkdown(adf))).toEqual(adf);
  });

  it('ADF -> Markdown -> ADF keeps a document written in Jira', () => {
    const adf = {
      type: 'doc' as const,
      version: 1 as const,
      content: [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Steps' }] },
        {
          type: 'orderedList',
          attrs: { order: 1 },
          content: [
            {
              type: 'listItem',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'open *menu*' }] }],
            },
            {
              type: 'listItem',
              content: [
                {
                  type: 'paragraph',
                  content: [{ type: 'text', text: 'click', marks: [{ type: 'strong' }] }],
                },
                {
                  type: 'bulletList',
                  content: [
                    {
                      type: 'listItem',
                      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'twice' }] }],
                    },
                  ],
                },
              ],
            },
          ],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'see ' },
            {
              type: 'text',
              text: 'docs',
              marks: [{ type: 'link', attrs: { href: 'https://d.test/p?q=1' } }, { type: 'em' }],
            },
            { type: 'text', text: ' and ' },
            { type: 'text', text: 'x_y()', marks: [{ type: 'code' }] },
          ],
        },
        {
          type: 'codeBlock',
          attrs: { language: 'python' },
          content: [{ type: 'text', text: 'print("hi")' }],
        },
      ],
    };
    const markdown = adfToMarkdown(adf);
    expect(markdown).toBe(
      '### Steps\n\n1. open \\*menu\\*\n2. **click**\n   - twice\n\nsee [*docs*](https://d.test/p?q=1) and `x_y()`\n\n```python\nprint("hi")\n```',
    );
    expect(markdownToAdf(markdown)).toEqual(adf);
  });

  it('renders nodes Markdown cannot express as readable text', () => {
    const markdown = adfToMarkdown({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: 'abc', text: '@Ann' } },
            { type: 'text', text: ' ' },
            { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
            { type: 'text', text: ' ' },
            { type: 'inlineCard', attrs: { url: 'https://x.test/card' } },
          ],
        },
        {
          type: 'panel',
          attrs: { panelType: 'info' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'note' }] }],
        },
      ],
    });
    expect(markdown).toBe('@Ann 😄 <https://x.test/card>\n\n> note');
  });

  it('reads plain strings and non-documents like the original', () => {
    expect(adfToMarkdown('legacy text')).toBe('legacy text');
    expect(adfToMarkdown(null)).toBeNull();
    expect(adfToMarkdown(42)).toBeNull();
    expect(adfToMarkdown({ type: 'doc', version: 1, content: [] })).toBeNull();
  });

  it('extracts plain text for JSON stored in ADF', () => {
    const doc = markdownToAdf('```json\n{"a": [1, 2]}\n```');
    expect(JSON.parse(adfPlainText(doc))).toEqual({ a: [1, 2] });
  });
});
