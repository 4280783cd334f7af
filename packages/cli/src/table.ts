/** Plain-text table with a header rule; cells are single-line (newlines become spaces). */
export function renderTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (value: unknown) =>
    (value === null || value === undefined ? '' : String(value)).replace(/\s*\n\s*/g, ' ');
  const text = rows.map((row) => headers.map((_, index) => cell(row[index])));
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...text.map((row) => row[index]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((value, index) => (index === cells.length - 1 ? value : value.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...text.map(line)].join('\n');
}

/** Short JSON for table cells (values of conflicts, patches). */
export function brief(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
