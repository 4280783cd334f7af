import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { formatIssuePath, formatSchemaPath } from './schema-path';

describe('schema paths', () => {
  it('formats valibot issues with brackets for indexes', () => {
    const schema = v.object({ issues: v.array(v.object({ fields: v.object({ name: v.string() }) })) });
    const result = v.safeParse(schema, { issues: [{ fields: { name: 'a' } }, { fields: { name: 42 } }] });
    expect(result.success).toBe(false);
    expect(result.issues?.map((issue) => formatIssuePath(issue))).toEqual(['issues[1].fields.name']);
  });

  it('formats Standard Schema paths (bare keys or { key }) and the root', () => {
    expect(formatSchemaPath(['a', 0, { key: 'b' }, { key: 2 }])).toBe('a[0].b[2]');
    expect(formatSchemaPath([0, 'x'])).toBe('[0].x');
    expect(formatSchemaPath(undefined)).toBe('<root>');
    expect(formatIssuePath({})).toBe('<root>');
  });

  it('continues a base path', () => {
    expect(formatSchemaPath(['labels', 0, 'name'], 'issues[3]')).toBe('issues[3].labels[0].name');
    expect(formatSchemaPath([1], 'list')).toBe('list[1]');
    expect(formatIssuePath({ path: undefined }, 'issues')).toBe('issues');
  });
});
