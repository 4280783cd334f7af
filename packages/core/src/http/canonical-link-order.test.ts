import { describe, expect, it } from 'vitest';
import { LinkType } from '../model/enums';
import { createRef } from '../model/external-ref';
import { type CanonicalLink, createLink } from '../model/link';
import { uniqueSortedLinks } from './canonical-link-order';

function link(type: CanonicalLink['type'], workspace: string, id: string): CanonicalLink {
  return createLink({ type, target: createRef({ system: 'test', workspace, id }) });
}

const brief = (links: readonly CanonicalLink[]) =>
  links.map((one) => `${one.type} ${one.target.workspace}#${one.target.id}`);

describe('uniqueSortedLinks', () => {
  it('sorts by type, then id by code unit, and keeps each (type, id) once', () => {
    const links = [
      link(LinkType.RELATES_TO, 'w', '10'),
      link(LinkType.BLOCKS, 'w', '9'),
      link(LinkType.RELATES_TO, 'w', '10'),
      link(LinkType.RELATES_TO, 'other', '10'),
      link(LinkType.RELATES_TO, 'w', '9'),
    ];
    expect(brief(uniqueSortedLinks(links))).toEqual(['blocks w#9', 'relates_to w#10', 'relates_to w#9']);
  });

  it('sorts ids as numbers with numericIds', () => {
    const links = [link(LinkType.BLOCKS, 'w', '10'), link(LinkType.BLOCKS, 'w', '9')];
    expect(brief(uniqueSortedLinks(links, { numericIds: true }))).toEqual(['blocks w#9', 'blocks w#10']);
  });

  it('tells workspaces apart and sorts by them before the id with byWorkspace', () => {
    const links = [
      link(LinkType.BLOCKS, 'b/repo', '1'),
      link(LinkType.BLOCKS, 'a/repo', '2'),
      link(LinkType.BLOCKS, 'b/repo', '1'),
      link(LinkType.BLOCKS, 'a/repo', '1'),
    ];
    expect(brief(uniqueSortedLinks(links, { byWorkspace: true, numericIds: true }))).toEqual([
      'blocks a/repo#1',
      'blocks a/repo#2',
      'blocks b/repo#1',
    ]);
  });

  it('returns a new list and leaves the input as it was', () => {
    const links = [link(LinkType.RELATES_TO, 'w', '2'), link(LinkType.BLOCKS, 'w', '1')];
    const sorted = uniqueSortedLinks(links);
    expect(sorted).not.toBe(links);
    expect(brief(links)).toEqual(['relates_to w#2', 'blocks w#1']);
  });
});
