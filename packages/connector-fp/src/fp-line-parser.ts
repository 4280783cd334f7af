// The original's text parsing of fp output: one issue per line `FP-abcd [todo] [high] Title`,
// tree-drawing prefixes stripped, non-matching lines ignored.
import { ConnectorRequestError } from '@spec-kitty/core';

/** Full-line pattern of an issue line (the original's regex). */
export const FP_LINE_PATTERN =
  /^(?<id>[A-Za-z0-9_-]+)\s+\[(?<status>[^\]]+)\](?:\s+\[(?<priority>[^\]]+)\])?\s+(?<title>.+)$/;

/** First id-like token in free text, e.g. `Created issue FP-ijkl` → `FP-ijkl`. */
export const FP_ID_PATTERN = /\b[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9-]*\b/;

const TREE_PREFIX = /^[│├└─\s]+/;

/** One parsed issue line of fp's text output. */
export interface FpLine {
  id: string;
  status: string;
  priority: string | null;
  title: string;
  line: string;
}

/** A line without surrounding whitespace and tree-drawing prefixes. */
export function normalizeLine(line: string): string {
  return line.trim().replace(TREE_PREFIX, '').trim();
}

/** Every issue line in `text`, in order. */
export function parseFpLines(text: string): FpLine[] {
  const lines: FpLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = normalizeLine(raw);
    if (line === '') continue;
    const match = FP_LINE_PATTERN.exec(line);
    if (match?.groups === undefined) continue;
    const { id, status, priority, title } = match.groups;
    if (id === undefined || status === undefined || title === undefined) continue;
    lines.push({ id, status, priority: priority ?? null, title: title.trim(), line });
  }
  return lines;
}

/** The first id-like token, or a `ConnectorRequestError` (the original's message). */
export function extractFpId(text: string): string {
  const match = FP_ID_PATTERN.exec(text);
  if (match === null) throw new ConnectorRequestError('Unable to extract fp issue id from command output');
  return match[0];
}
