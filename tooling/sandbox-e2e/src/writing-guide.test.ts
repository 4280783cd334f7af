import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/guides/writing-a-connector.md must work verbatim: every whole file it shows is the example
// connector's file, byte for byte, and nothing in it points into the workspace.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const guide = readFileSync(join(ROOT, 'docs/guides/writing-a-connector.md'), 'utf8');
const example = (path: string) => readFileSync(join(ROOT, 'examples/connector-acme', path), 'utf8');

const shownFiles = [...guide.matchAll(/```ts\n\/\/ (src\/[\w./-]+)\n([\s\S]*?)```/g)].map((match) => ({
  path: match[1] as string,
  body: match[2] as string,
}));

describe('the writing-a-connector guide', () => {
  it('shows the config, hosted, definition and index files', () => {
    expect(shownFiles.map((file) => file.path).sort()).toEqual([
      'src/acme-config.ts',
      'src/acme-definition.ts',
      'src/acme-hosted.ts',
      'src/index.ts',
    ]);
  });

  it.each(shownFiles)('shows $path exactly as the example has it', ({ path, body }) => {
    expect(body).toBe(example(path));
  });

  it('uses no workspace ranges, private presets or the private fakes', () => {
    for (const text of [guide, readFileSync(join(ROOT, 'docs/guides/testing-a-connector.md'), 'utf8')]) {
      expect(text).not.toMatch(/"workspace:/);
      expect(text).not.toMatch(/@spec-kitty\/(tsconfig|tsup-config|vitest-config|fake-trackers)/);
    }
  });

  it('shows relative imports with their .js extension (NodeNext)', () => {
    const relativeImports = [...guide.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
    expect(relativeImports.length).toBeGreaterThan(5);
    for (const specifier of relativeImports) expect(specifier).toMatch(/\.js$/);
  });
});
