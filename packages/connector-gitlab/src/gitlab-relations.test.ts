import { describe, expect, it } from 'vitest';
import { gitLabGraphQLUrl, relationsFromData } from './gitlab-relations';

describe('GitLab relations mapping', () => {
  it('finds GraphQL beside the REST root, under a relative URL root too', () => {
    expect(gitLabGraphQLUrl('https://gitlab.com/api/v4')).toBe('https://gitlab.com/api/graphql');
    expect(gitLabGraphQLUrl('https://git.example/gitlab/api/v4/')).toBe(
      'https://git.example/gitlab/api/graphql',
    );
  });

  it('names other projects by numeric id, leaves out group-level items, reads epics as group refs', () => {
    const read = relationsFromData(
      {
        project: {
          workItems: {
            nodes: [
              {
                iid: '7',
                widgets: [
                  { parent: { iid: '3', project: null, namespace: { fullPath: 'acme/sub' } } },
                  {
                    linkedItems: {
                      pageInfo: { hasNextPage: false },
                      nodes: [
                        {
                          linkType: 'blocks',
                          workItem: { iid: '1', project: { id: 'gid://gitlab/Project/42' } },
                        },
                        {
                          linkType: 'relates_to',
                          workItem: { iid: '9', project: { id: 'gid://gitlab/Project/77' } },
                        },
                        { linkType: 'relates_to', workItem: { iid: '2', project: null } },
                      ],
                    },
                  },
                ],
              },
              { iid: '8', widgets: [{ linkedItems: { pageInfo: { hasNextPage: true }, nodes: [] } }] },
            ],
          },
        },
      },
      'acme/web',
      42,
    );
    const seven = read.get(7);
    expect(seven?.parent).toMatchObject({ workspace: 'acme/sub', id: '3', key: 'acme/sub&3' });
    expect(seven?.links?.map((link) => [link.type, link.target.workspace, link.target.id])).toEqual([
      ['blocks', 'acme/web', '1'],
      ['relates_to', '77', '9'],
    ]);
    // More linked items than the batch read: links unknown (read through REST), parent none.
    expect(read.get(8)).toEqual({ parent: null, links: null });
  });
});
