/**
 * Markdown ↔ Atlassian Document Format (ADF), the rich-text format Jira Cloud REST v3 requires
 * for descriptions, comments and multi-line custom fields.
 *
 * Supported both ways: paragraphs (line breaks inside a paragraph become `hardBreak`), headings
 * 1–6, bullet and ordered lists (nested, with start number), fenced code blocks with language,
 * block quotes, horizontal rules, GFM tables (single-paragraph cells), and inline strong / em / strike / code / links.
 * ADF nodes Markdown cannot express (mentions, emoji, cards, panels, media, status) are
 * rendered to readable Markdown text on the way out.
 */

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

// ------------------------------------------------------------------------------------------------
// Markdown → ADF

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^ {0,3}((?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+)(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;

function indentOf(line: string): number {
  const match = /^\s*/.exec(line);
  return (match?.[0] ?? '').replace(/\t/g, '    ').length;
}

function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

function startsBlock(line: string): boolean {
  return (
    FENCE.test(line) || HEADING.test(line) || RULE.test(line) || LIST_ITEM.test(line) || QUOTE.test(line)
  );
}

function dedent(lines: string[], amount: number): string[] {
  return lines.map((line) => {
    let removed = 0;
    let index = 0;
    while (index < line.length && removed < amount && (line[index] === ' ' || line[index] === '\t')) {
      removed += line[index] === '\t' ? 4 : 1;
      index += 1;
    }
    return line.slice(index);
  });
}

function parseBlocks(lines: string[]): AdfNode[] {
  const blocks: AdfNode[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (isBlank(line)) {
      index += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[2] ?? '```';
      const fenceIndent = (fence[1] ?? '').length;
      const body: string[] = [];
      index += 1;
      while (index < lines.length) {
        const current = lines[index] ?? '';
        const close = /^\s*(`{3,}|~{3,})\s*$/.exec(current);
        if (
          close &&
          (close[1] ?? '').startsWith(marker[0] ?? '`') &&
          (close[1] ?? '').length >= marker.length
        )
          break;
        body.push(dedent([current], fenceIndent)[0] ?? '');
        index += 1;
      }
      index += 1; // closing fence (or end of input)
      const node: AdfNode = { type: 'codeBlock' };
      if (fence[3]) node.attrs = { language: fence[3] };
      const text = body.join('\n');
      if (text.length > 0) node.content = [{ type: 'text', text }];
      blocks.push(node);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const content = parseInline(heading[2] ?? '');
      const node: AdfNode = { type: 'heading', attrs: { level: (heading[1] ?? '#').length } };
      if (content.length > 0) node.content = content;
      blocks.push(node);
      index += 1;
      continue;
    }
    if (TABLE_ROW.test(line) && TABLE_SEPARATOR.test(lines[index + 1] ?? '')) {
      const rows: string[][] = [splitTableRow(line)];
      index += 2;
      while (index < lines.length && TABLE_ROW.test(lines[index] ?? '')) {
        rows.push(splitTableRow(lines[index] ?? ''));
        index += 1;
      }
      blocks.push(tableNode(rows));
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      index += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (index < lines.length) {
        const match = QUOTE.exec(lines[index] ?? '');
        if (!match) break;
        quoted.push(match[1] ?? '');
        index += 1;
      }
      const content = parseBlocks(quoted);
      blocks.push({ type: 'blockquote', content: content.length > 0 ? content : [{ type: 'paragraph' }] });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const parsed = parseList(lines, index);
      blocks.push(parsed.node);
      index = parsed.next;
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length) {
      const current = lines[index] ?? '';
      if (isBlank(current) || (paragraph.length > 0 && startsBlock(current))) break;
      paragraph.push(current.replace(/^\s+/, ''));
      index += 1;
    }
    blocks.push(paragraphNode(paragraph));
  }
  return blocks;
}

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** Cells of a GFM table row; an escaped pipe is a literal pipe. */
function splitTableRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let current = '';
  for (let index = 0; index < inner.length; index += 1) {
    const char = inner[index];
    if (char === '\\' && inner[index + 1] === '|') {
      // GFM: an escaped pipe is a literal pipe, even inside code spans.
      current += '|';
      index += 1;
    } else if (char === '\\' && index + 1 < inner.length) {
      current += char + inner[index + 1];
      index += 1;
    } else if (char === '|') {
      cells.push(current.trim());
      current = '';
    } else current += char;
  }
  cells.push(current.trim());
  return cells;
}

function tableNode(rows: string[][]): AdfNode {
  const width = Math.max(...rows.map((row) => row.length));
  return {
    type: 'table',
    content: rows.map((row, rowIndex) => ({
      type: 'tableRow',
      content: Array.from({ length: width }, (_, cellIndex) => ({
        type: rowIndex === 0 ? 'tableHeader' : 'tableCell',
        content: [paragraphNode(row[cellIndex] ? [row[cellIndex] as string] : [])],
      })),
    })),
  };
}

function paragraphNode(lines: string[]): AdfNode {
  const content: AdfNode[] = [];
  lines.forEach((line, lineIndex) => {
    if (lineIndex > 0) content.push({ type: 'hardBreak' });
    content.push(...parseInline(line.replace(/\s+$/, '')));
  });
  return content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function parseList(lines: string[], start: number): { node: AdfNode; next: number } {
  const first = LIST_ITEM.exec(lines[start] ?? '');
  const baseIndent = indentOf(first?.[1] ?? '');
  const ordered = /\d/.test(first?.[2] ?? '');
  const items: AdfNode[] = [];
  let index = start;
  while (index < lines.length) {
    const match = LIST_ITEM.exec(lines[index] ?? '');
    if (!match || indentOf(match[1] ?? '') !== baseIndent || /\d/.test(match[2] ?? '') !== ordered) break;
    const contentIndent = baseIndent + (match[2] ?? '').length + Math.min((match[3] ?? ' ').length, 4);
    const itemLines = [match[4] ?? ''];
    index += 1;
    while (index < lines.length) {
      const current = lines[index] ?? '';
      if (isBlank(current)) {
        // A blank line continues the item only when more indented content follows.
        let look = index + 1;
        while (look < lines.length && isBlank(lines[look] ?? '')) look += 1;
        if (look < lines.length && indentOf(lines[look] ?? '') > baseIndent) {
          itemLines.push('');
          index += 1;
          continue;
        }
        break;
      }
      if (indentOf(current) <= baseIndent) break;
      itemLines.push(dedent([current], Math.min(contentIndent, indentOf(current)))[0] ?? '');
      index += 1;
    }
    const content = parseBlocks(itemLines);
    const firstType = content[0]?.type;
    if (firstType !== 'paragraph' && firstType !== 'codeBlock') content.unshift({ type: 'paragraph' });
    items.push({ type: 'listItem', content });
    // Blank lines between items of the same list keep the list going.
    let look = index;
    while (look < lines.length && isBlank(lines[look] ?? '')) look += 1;
    const next = LIST_ITEM.exec(lines[look] ?? '');
    if (
      look > index &&
      next &&
      indentOf(next[1] ?? '') === baseIndent &&
      /\d/.test(next[2] ?? '') === ordered
    ) {
      index = look;
    }
  }
  const node: AdfNode = { type: ordered ? 'orderedList' : 'bulletList', content: items };
  if (ordered) {
    const order = Number.parseInt(first?.[2] ?? '1', 10);
    node.attrs = { order };
  }
  return { node, next: index };
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

function sameMarks(a: readonly AdfMark[] | undefined, b: readonly AdfMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function pushText(nodes: AdfNode[], text: string, marks: readonly AdfMark[]): void {
  if (text.length === 0) return;
  const last = nodes[nodes.length - 1];
  if (last?.type === 'text' && sameMarks(last.marks, marks)) {
    last.text = `${last.text ?? ''}${text}`;
    return;
  }
  const node: AdfNode = { type: 'text', text };
  if (marks.length > 0) node.marks = marks.map((mark) => ({ ...mark }));
  nodes.push(node);
}

const MARK_ORDER = ['link', 'strong', 'em', 'strike', 'code'];

function withMark(marks: readonly AdfMark[], mark: AdfMark): AdfMark[] {
  return [...marks, mark].sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

/** Index of the closing delimiter for an emphasis run opening at `from`, or -1. */
function findClosing(text: string, delimiter: string, from: number): number {
  let index = from;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '`') {
      const run = /^`+/.exec(text.slice(index))?.[0] ?? '`';
      const close = text.indexOf(run, index + run.length);
      if (close === -1) {
        index += run.length;
        continue;
      }
      index = close + run.length;
      continue;
    }
    if (text.startsWith(delimiter, index)) {
      const before = text[index - 1] ?? ' ';
      const after = text[index + delimiter.length] ?? ' ';
      const intraword = delimiter[0] === '_' && /[\p{L}\p{N}]/u.test(after);
      // A single * inside ** is not a closer for *.
      const partOfLonger =
        delimiter.length === 1 && text[index + 1] === delimiter && text[index - 1] !== delimiter;
      if (!/\s/.test(before) && index > from && !intraword && !partOfLonger) {
        // In a run like `***` the closer for `**` is its last two characters.
        let end = index;
        while (delimiter.length === 2 && text[end + delimiter.length] === delimiter[0]) end += 1;
        return end;
      }
    }
    index += 1;
  }
  return -1;
}

export function parseInline(text: string, marks: readonly AdfMark[] = []): AdfNode[] {
  const nodes: AdfNode[] = [];
  let buffer = '';
  const flush = () => {
    pushText(nodes, buffer, marks);
    buffer = '';
  };
  const hasCode = marks.some((mark) => mark.type === 'code');
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const next = text[index + 1] ?? '';
    if (char === '\\' && PUNCTUATION.test(next)) {
      buffer += next;
      index += 2;
      continue;
    }
    if (char === '`' && !hasCode) {
      const run = /^`+/.exec(text.slice(index))?.[0] ?? '`';
      const close = text.indexOf(run, index + run.length);
      if (close !== -1 && text[close + run.length] !== '`') {
        let code = text.slice(index + run.length, close);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim().length > 0)
          code = code.slice(1, -1);
        flush();
        const codeMarks = withMark(
          marks.filter((mark) => mark.type === 'link'),
          { type: 'code' },
        );
        pushText(nodes, code, codeMarks);
        index = close + run.length;
        continue;
      }
      buffer += run;
      index += run.length;
      continue;
    }
    if (char === '[' && !marks.some((mark) => mark.type === 'link')) {
      const link = matchLink(text, index);
      if (link) {
        flush();
        const linkMarks = withMark(marks, { type: 'link', attrs: { href: link.href } });
        nodes.push(...mergeInto(nodes, parseInline(link.label, linkMarks)));
        index = link.end;
        continue;
      }
    }
    if (char === '<') {
      const auto = /^<((?:https?|mailto):[^\s<>]+)>/.exec(text.slice(index));
      if (auto?.[1]) {
        flush();
        pushText(nodes, auto[1], withMark(marks, { type: 'link', attrs: { href: auto[1] } }));
        index += auto[0].length;
        continue;
      }
    }
    const delimiter =
      text.startsWith('**', index) || text.startsWith('__', index)
        ? text.slice(index, index + 2)
        : text.startsWith('~~', index)
          ? '~~'
          : char === '*' || char === '_'
            ? char
            : null;
    if (delimiter !== null) {
      const after = text[index + delimiter.length] ?? ' ';
      const before = text[index - 1] ?? ' ';
      const canOpen = !/\s/.test(after) && !(delimiter[0] === '_' && /[\p{L}\p{N}]/u.test(before));
      const close = canOpen ? findClosing(text, delimiter, index + delimiter.length) : -1;
      if (close !== -1) {
        const type = delimiter === '~~' ? 'strike' : delimiter.length === 2 ? 'strong' : 'em';
        if (!marks.some((mark) => mark.type === type)) {
          flush();
          const inner = parseInline(text.slice(index + delimiter.length, close), withMark(marks, { type }));
          nodes.push(...mergeInto(nodes, inner));
          index = close + delimiter.length;
          continue;
        }
      }
      buffer += delimiter;
      index += delimiter.length;
      continue;
    }
    buffer += char;
    index += 1;
  }
  flush();
  return nodes;
}

/** Merges the first of `incoming` into the last of `nodes` when marks match; returns the rest. */
function mergeInto(nodes: AdfNode[], incoming: AdfNode[]): AdfNode[] {
  const [first, ...rest] = incoming;
  const last = nodes[nodes.length - 1];
  if (first?.type === 'text' && last?.type === 'text' && sameMarks(first.marks, last.marks)) {
    last.text = `${last.text ?? ''}${first.text ?? ''}`;
    return rest;
  }
  return incoming;
}

function matchLink(text: string, start: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let index = start;
  for (; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (char === '[') depth += 1;
    if (char === ']') {
      depth -= 1;
      if (depth === 0) break;
    }
  }
  if (depth !== 0 || text[index + 1] !== '(') return null;
  const rest = text.slice(index + 2);
  const target = /^<([^>]*)>\)|^([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\)/.exec(rest);
  if (!target) return null;
  const href = (target[1] ?? target[2] ?? '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
  if (href.length === 0) return null;
  return { label: text.slice(start + 1, index), href, end: index + 2 + target[0].length };
}

/** Markdown text → ADF document. `null`/empty → a document with no content. */
export function markdownToAdf(markdown: string | null | undefined): AdfDocument {
  const text = (markdown ?? '').replace(/\r\n?/g, '\n');
  return { type: 'doc', version: 1, content: parseBlocks(text.split('\n')) };
}

// ------------------------------------------------------------------------------------------------
// ADF → Markdown

function escapeText(text: string, atLineStart: boolean): string {
  let out = text.replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\');
  out = out.replace(/`/g, '\\`');
  // Emphasis delimiters that could open a run (followed by non-space).
  out = out.replace(/(\*+|~~)(?=\S)/g, (run) => run.replace(/[*~]/g, '\\$&'));
  out = out.replace(
    /(^|[^\p{L}\p{N}\\])(_+)(?=\S)/gu,
    (_match, before: string, run: string) => `${before}${run.replace(/_/g, '\\_')}`,
  );
  out = out.replace(/(?<=\S)(\*+)(?=\s|$)/g, (run) => run.replace(/\*/g, '\\*'));
  if (out.includes(']')) out = out.replace(/\[/g, '\\[');
  out = out.replace(/<(?=(?:https?|mailto):)/g, '\\<');
  if (atLineStart) {
    out = out
      .replace(/^(\s*)([#>+-])(?=\s|$|#)/, '$1\\$2')
      .replace(/^(\s*)(\d{1,9})([.)])(?=\s|$)/, '$1$2\\$3')
      .replace(/^(\s*)(~~~)/, '$1\\$2');
  }
  return out;
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad =
    text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim())
      ? ' '
      : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function markOpen(mark: AdfMark): string {
  switch (mark.type) {
    case 'strong':
      return '**';
    case 'em':
      return '*';
    case 'strike':
      return '~~';
    case 'link':
      return '[';
    default:
      return '';
  }
}

function markClose(mark: AdfMark): string {
  switch (mark.type) {
    case 'strong':
      return '**';
    case 'em':
      return '*';
    case 'strike':
      return '~~';
    case 'link': {
      const href = String(mark.attrs?.href ?? '');
      return `](${/[\s()<>]/.test(href) ? `<${href}>` : href})`;
    }
    default:
      return '';
  }
}

function inlineMarks(node: AdfNode): AdfMark[] {
  return (node.marks ?? [])
    .filter((mark) => MARK_ORDER.includes(mark.type) && mark.type !== 'code')
    .sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

function inlineToMarkdown(nodes: readonly AdfNode[]): string {
  let out = '';
  const open: AdfMark[] = [];
  let lineStart = true;
  const closeTo = (keep: number) => {
    while (open.length > keep) out += markClose(open.pop() as AdfMark);
  };
  const commonPrefix = (a: readonly AdfMark[], b: readonly AdfMark[]) => {
    let count = 0;
    while (count < a.length && count < b.length && sameMarks([a[count] as AdfMark], [b[count] as AdfMark]))
      count += 1;
    return count;
  };
  nodes.forEach((node, position) => {
    const following = nodes[position + 1];
    const nextMarks = following?.type === 'text' ? inlineMarks(following) : [];
    if (node.type === 'hardBreak') {
      closeTo(0);
      out += '\n';
      lineStart = true;
      return;
    }
    const text = inlineText(node);
    if (text === null) return;
    const marks = node.type === 'text' ? inlineMarks(node) : [];
    const isCode = node.type === 'text' && (node.marks ?? []).some((mark) => mark.type === 'code');
    const common = commonPrefix(open, marks);
    // Whitespace moves outside closing/opening delimiters so emphasis stays valid Markdown.
    const leading = marks.length > common && !isCode ? (/^\s+/.exec(text)?.[0] ?? '') : '';
    closeTo(common);
    out += leading;
    let body = text.slice(leading.length);
    const opening = marks.slice(common);
    for (const mark of opening) {
      out += markOpen(mark);
      open.push(mark);
    }
    let trailing = '';
    const keep = commonPrefix(open, nextMarks);
    if (keep < open.length && !isCode) {
      trailing = /\s+$/.exec(body)?.[0] ?? '';
      body = body.slice(0, body.length - trailing.length);
    }
    if (node.type !== 'text') out += body;
    else if (isCode) out += codeSpan(body);
    else out += escapeText(body, lineStart && out.endsWith('\n') ? true : lineStart && out.length === 0);
    if (trailing) {
      closeTo(keep);
      out += trailing;
    }
    lineStart = false;
  });
  closeTo(0);
  return out;
}

function inlineText(node: AdfNode): string | null {
  const attrs = node.attrs ?? {};
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'mention':
      return String(attrs.text ?? `@${String(attrs.id ?? 'someone')}`);
    case 'emoji':
      return String(attrs.text ?? attrs.shortName ?? '');
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard':
      return attrs.url ? `<${String(attrs.url)}>` : '';
    case 'date':
      return attrs.timestamp ? new Date(Number(attrs.timestamp)).toISOString().slice(0, 10) : '';
    case 'status':
      return String(attrs.text ?? '');
    default:
      return node.content ? inlineToMarkdown(node.content) : null;
  }
}

function indentLines(text: string, prefix: string, firstPrefix: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? firstPrefix : line.length > 0 ? prefix : '') + line)
    .join('\n');
}

function listItemToMarkdown(item: AdfNode, marker: string): string {
  const pad = ' '.repeat(marker.length);
  const parts: string[] = [];
  const children = item.content ?? [];
  children.forEach((child, index) => {
    const rendered = blockToMarkdown(child);
    const isList = child.type === 'bulletList' || child.type === 'orderedList';
    const separator = index === 0 ? '' : isList ? '\n' : '\n\n';
    parts.push(separator + rendered);
  });
  const body = parts.join('');
  return indentLines(body.length > 0 ? body : '', pad, marker);
}

function blockToMarkdown(node: AdfNode): string {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return inlineToMarkdown(content);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
      return `${'#'.repeat(level)} ${inlineToMarkdown(content)}`.trimEnd();
    }
    case 'bulletList':
      return content.map((item) => listItemToMarkdown(item, '- ')).join('\n');
    case 'orderedList': {
      const start = Number(node.attrs?.order ?? 1);
      return content.map((item, index) => listItemToMarkdown(item, `${start + index}. `)).join('\n');
    }
    case 'codeBlock': {
      const text = content.map((child) => child.text ?? '').join('');
      const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longest + 1);
      const language = typeof node.attrs?.language === 'string' ? node.attrs.language : '';
      return `${fence}${language}\n${text}\n${fence}`;
    }
    case 'blockquote':
    case 'panel':
      return blocksToMarkdown(content)
        .split('\n')
        .map((line) => (line.length > 0 ? `> ${line}` : '>'))
        .join('\n');
    case 'rule':
      return '---';
    case 'table':
      return tableToMarkdown(node);
    case 'mediaSingle':
    case 'mediaGroup':
    case 'media':
      return '';
    default: {
      if (content.length === 0) return inlineText(node) ?? '';
      const isInline = content.every((child) => child.type === 'text' || child.type === 'hardBreak');
      return isInline ? inlineToMarkdown(content) : blocksToMarkdown(content);
    }
  }
}

function tableToMarkdown(node: AdfNode): string {
  const rows = (node.content ?? []).map((row) =>
    (row.content ?? []).map((cell) =>
      blocksToMarkdown(cell.content ?? [])
        .replace(/\n+/g, ' ')
        .replace(/\|/g, '\\|'),
    ),
  );
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((row) => row.length));
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), line(Array.from({ length: width }, () => '---')), ...body.map(line)].join('\n');
}

function blocksToMarkdown(nodes: readonly AdfNode[]): string {
  return nodes
    .map(blockToMarkdown)
    .filter((block) => block.length > 0)
    .join('\n\n');
}

/**
 * ADF → Markdown. A plain string is returned as-is (v2-style payloads); anything that is not an
 * ADF object → null; an empty document → null.
 */
export function adfToMarkdown(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value !== 'object' || value === null) return null;
  const node = value as AdfNode;
  const markdown = node.type === 'doc' ? blocksToMarkdown(node.content ?? []) : blockToMarkdown(node);
  return markdown.length > 0 ? markdown : null;
}

/** All text of an ADF value, blocks separated by newlines (used for JSON stored in ADF fields). */
export function adfPlainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const node = value as AdfNode;
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const children = (node.content ?? []).map(adfPlainText);
  const isBlockContainer = node.type === 'doc' || node.type === 'bulletList' || node.type === 'orderedList';
  return children.join(isBlockContainer ? '\n' : '');
}
