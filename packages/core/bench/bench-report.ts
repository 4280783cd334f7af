// Shared by the benchmarks: the machine line, markdown tables and the section of
// docs/performance.md each benchmark owns (between `<!-- bench:NAME -->` markers).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PERFORMANCE_DOC = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/performance.md');

export function machineLine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}; load average ${load} (1/5/15 min) at the end of the run`;
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Prints rows as an aligned plain-text table on stdout. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** Replaces (or appends) the section `name` of docs/performance.md. */
export function writeDocSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(PERFORMANCE_DOC) ? readFileSync(PERFORMANCE_DOC, 'utf8') : '# Performance\n';
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc =
    from >= 0 && to > from
      ? doc.slice(0, from) + block + doc.slice(to + end.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(PERFORMANCE_DOC, doc);
  console.log(`\nwrote section "${name}" of ${PERFORMANCE_DOC}`);
}

export const fmt = {
  seconds: (value: number) => value.toFixed(3),
  /** Seconds, to the microsecond below 1 ms and to 0.1 ms below 10 ms (no-op runs are that short). */
  cpuSeconds: (value: number) => value.toFixed(value < 0.001 ? 6 : value < 0.01 ? 4 : 3),
  int: (value: number) => Math.round(value).toLocaleString('en-US'),
  ratio: (value: number) => `${value.toFixed(1)}×`,
  percent: (value: number) => `${(value * 100).toFixed(0)}%`,
};
