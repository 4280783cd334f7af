import { CanonicalStatus } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { buildIssueSearchJql, updatedThresholdMs } from './jira-jql';
import { pythonJsonDumps, statusFromJira } from './jira-mapping';
import { chooseTransition, noTransitionError, parseTransitions, pyStrRepr } from './jira-transitions';

describe('transition choice', () => {
  const options = parseTransitions([
    { id: '1', name: 'Done', to: { name: 'Archived', statusCategory: { key: 'done' } } },
    { id: '2', name: 'Finish', to: { name: 'Done', statusCategory: { key: 'done' } } },
    { name: 'No id', to: { name: 'Done' } },
    'junk',
    { id: 3, name: 'Start', to: { name: 'Doing', statusCategory: { key: 'indeterminate' } } },
  ]);

  it('prefers the destination over the transition name, regardless of order', () => {
    const choice = chooseTransition(CanonicalStatus.DONE, options, {});
    expect(choice.chosen?.id).toBe('2');
    expect(choice.matchedBy).toBe('destination');
    expect(choice.available).toEqual([
      'Done -> Archived',
      'Finish -> Done',
      'No id -> Done',
      'Start -> Doing',
    ]);
  });

  it('uses categories only for todo / in_progress / done and only without an explicit mapping', () => {
    expect(chooseTransition(CanonicalStatus.IN_PROGRESS, options, {}).chosen?.id).toBe('3');
    expect(
      chooseTransition(CanonicalStatus.IN_PROGRESS, options, { in_progress: 'Working' }).chosen,
    ).toBeNull();
    expect(chooseTransition(CanonicalStatus.IN_REVIEW, options, {}).chosen).toBeNull();
  });

  it('treats a null transitions list as empty and formats the refusal like Python', () => {
    expect(parseTransitions(null)).toEqual([]);
    expect(noTransitionError(CanonicalStatus.BLOCKED, 'blocked', []).message).toBe(
      "No Jira transition matches status 'blocked' (resolved desired name 'blocked'); available transitions (name -> destination): []",
    );
    expect(pyStrRepr("Won't Do -> Done")).toBe('"Won\'t Do -> Done"');
    expect(pyStrRepr('a\'b"c')).toBe("'a\\'b\"c'");
  });
});

describe('JQL', () => {
  it('sends epoch milliseconds one minute before the truncated watermark', () => {
    const since = new Date(Date.UTC(2026, 0, 15, 15, 0, 30, 250));
    expect(updatedThresholdMs(since)).toBe(Date.UTC(2026, 0, 15, 14, 59));
    // Near the epoch the overlap would go negative, which JQL refuses: it stops at 0.
    expect(updatedThresholdMs(new Date(0))).toBe(0);
    expect(buildIssueSearchJql({ projectKey: 'PROJ', updatedSince: new Date(0) })).toContain('updated >= 0');
    expect(buildIssueSearchJql({ projectKey: 'PROJ', updatedSince: since })).toBe(
      `project = "PROJ" AND updated >= ${Date.UTC(2026, 0, 15, 14, 59)} ORDER BY key ASC`,
    );
  });

  it('escapes values and keeps a caller ORDER BY', () => {
    expect(
      buildIssueSearchJql({ projectKey: 'P', updatedSince: null, filters: { query_text: 'a "b" \\c' } }),
    ).toBe('project = "P" AND text ~ "a \\"b\\" \\\\c" ORDER BY key ASC');
    expect(
      buildIssueSearchJql({
        projectKey: 'P',
        updatedSince: new Date(0),
        filters: { jql: 'labels = x OR labels = y order by created DESC' },
      }),
    ).toBe('(labels = x OR labels = y) AND updated >= 0 order by created DESC');
  });
});

describe('mapping helpers', () => {
  it('maps status names, configured names and categories', () => {
    expect(statusFromJira('Closed', 'done', {})).toBe('done');
    expect(statusFromJira('Peer Review', 'indeterminate', { in_review: 'Peer Review' })).toBe('in_review');
    expect(statusFromJira('Triage', 'new', {})).toBe('todo');
    expect(statusFromJira('Waiting for QA', 'indeterminate', {})).toBe('in_progress');
    expect(statusFromJira('Shipped', 'done', {})).toBe('done');
  });

  it('dumps JSON like Python json.dumps', () => {
    expect(pythonJsonDumps({ a: [1, 'é', null, true], b: { c: 'x"y\n' } })).toBe(
      '{"a": [1, "\\u00e9", null, true], "b": {"c": "x\\"y\\n"}}',
    );
  });
});
