/**
 * Structural checks of Atlassian Document Format values, as Jira Cloud applies them to
 * `description`, comment bodies and multi-line text custom fields in REST v3.
 * Returns problems (empty = valid).
 */

const BLOCK_NODES = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'blockquote',
  'rule',
  'panel',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'mediaSingle',
  'mediaGroup',
  'media',
  'expand',
  'nestedExpand',
  'taskList',
  'taskItem',
  'decisionList',
  'decisionItem',
]);
const INLINE_NODES = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'date',
  'status',
  'mediaInline',
]);
const MARKS = new Set([
  'strong',
  'em',
  'code',
  'link',
  'strike',
  'underline',
  'textColor',
  'subsup',
  'backgroundColor',
]);

export function checkAdfDocument(value: unknown, path: string): string[] {
  if (typeof value === 'string')
    return [`${path}: Operation value must be an Atlassian Document (got a plain string)`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: Operation value must be an Atlassian Document`];
  }
  const doc = value as Record<string, unknown>;
  const problems: string[] = [];
  if (doc.type !== 'doc') problems.push(`${path}.type must be "doc"`);
  if (doc.version !== 1) problems.push(`${path}.version must be 1`);
  if (!Array.isArray(doc.content)) problems.push(`${path}.content must be an array`);
  else
    doc.content.forEach((node, index) => {
      checkNode(node, `${path}.content[${index}]`, problems, 'block');
    });
  return problems;
}

function checkNode(
  node: unknown,
  path: string,
  problems: string[],
  expect: 'block' | 'inline' | 'any',
): void {
  if (typeof node !== 'object' || node === null) {
    problems.push(`${path} must be an ADF node object`);
    return;
  }
  const record = node as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || (!BLOCK_NODES.has(type) && !INLINE_NODES.has(type))) {
    problems.push(`${path}.type ${JSON.stringify(type)} is not an ADF node type`);
    return;
  }
  if (expect === 'block' && INLINE_NODES.has(type))
    problems.push(`${path}: inline node "${type}" where a block is required`);
  if (expect === 'inline' && BLOCK_NODES.has(type))
    problems.push(`${path}: block node "${type}" where inline content is required`);
  if (type === 'text') {
    checkTextNode(record, path, problems);
    return;
  }
  if (type === 'heading') {
    const level = (record.attrs as { level?: unknown } | undefined)?.level;
    if (typeof level !== 'number' || level < 1 || level > 6)
      problems.push(`${path}.attrs.level must be 1..6`);
  }
  if (record.content === undefined) {
    if (type === 'bulletList' || type === 'orderedList' || type === 'listItem') {
      problems.push(`${path}.content is required for ${type}`);
    }
    return;
  }
  if (!Array.isArray(record.content)) {
    problems.push(`${path}.content must be an array`);
    return;
  }
  const content = record.content as unknown[];
  if (type === 'bulletList' || type === 'orderedList') {
    checkListChildren(content, path, problems);
    return;
  }
  if (type === 'listItem') {
    const first = (content[0] as { type?: unknown } | undefined)?.type;
    if (first !== 'paragraph' && first !== 'codeBlock' && first !== 'mediaSingle') {
      problems.push(`${path}.content[0] must be a paragraph, codeBlock or mediaSingle`);
    }
  }
  if (type === 'codeBlock') {
    checkCodeBlockChildren(content, path, problems);
    return;
  }
  const childExpect = type === 'paragraph' || type === 'heading' ? 'inline' : 'any';
  content.forEach((child, index) => {
    checkNode(child, `${path}.content[${index}]`, problems, childExpect);
  });
}

/** A text node: non-empty text, and only known marks (a link mark needs its href). */
function checkTextNode(record: Record<string, unknown>, path: string, problems: string[]): void {
  if (typeof record.text !== 'string' || record.text.length === 0)
    problems.push(`${path}.text must be a non-empty string`);
  if (record.marks === undefined) return;
  if (!Array.isArray(record.marks)) {
    problems.push(`${path}.marks must be an array`);
    return;
  }
  for (const [index, mark] of record.marks.entries()) {
    const markType = (mark as { type?: unknown } | null)?.type;
    if (typeof markType !== 'string' || !MARKS.has(markType)) {
      problems.push(`${path}.marks[${index}] is not an ADF mark`);
    }
    if (markType === 'link' && typeof (mark as { attrs?: { href?: unknown } }).attrs?.href !== 'string') {
      problems.push(`${path}.marks[${index}].attrs.href must be a string`);
    }
  }
}

/** A bullet or ordered list holds one or more listItems, and nothing else. */
function checkListChildren(content: unknown[], path: string, problems: string[]): void {
  if (content.length === 0) problems.push(`${path}.content must not be empty`);
  content.forEach((child, index) => {
    if ((child as { type?: unknown } | null)?.type !== 'listItem')
      problems.push(`${path}.content[${index}] must be a listItem`);
    checkNode(child, `${path}.content[${index}]`, problems, 'block');
  });
}

/** A codeBlock holds unmarked text only. */
function checkCodeBlockChildren(content: unknown[], path: string, problems: string[]): void {
  content.forEach((child, index) => {
    const childRecord = child as { type?: unknown; marks?: unknown } | null;
    if (childRecord?.type !== 'text')
      problems.push(`${path}.content[${index}] must be text inside a codeBlock`);
    if (childRecord?.marks !== undefined)
      problems.push(`${path}.content[${index}] must not carry marks inside a codeBlock`);
    checkNode(child, `${path}.content[${index}]`, problems, 'inline');
  });
}

/** Plain text of an ADF value (for `text ~` searches). */
export function adfText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const record = value as { text?: unknown; content?: unknown };
  const own = typeof record.text === 'string' ? record.text : '';
  const children = Array.isArray(record.content) ? record.content.map(adfText).join(' ') : '';
  return `${own} ${children}`.trim();
}
