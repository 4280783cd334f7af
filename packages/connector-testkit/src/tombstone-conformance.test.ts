import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { createRef } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { MissingTombstoneHookError } from './missing-tombstone-hook-error';
import { requireTombstoneHooks } from './tombstone-conformance';

const connector = () => new InMemoryConnector({ name: 'memory', workspace: 'conformance' });

describe('requireTombstoneHooks', () => {
  it('fails with a clear message when a connector declares reportsDeletions but the subject has no removeIssue', async () => {
    const memory = connector();
    const caps = await memory.getCapabilities();
    expect(caps.reportsDeletions).toBe(true);
    const error = (() => {
      try {
        requireTombstoneHooks(memory, caps, {});
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(MissingTombstoneHookError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/declares capabilities\.reportsDeletions.*no removeIssue\(ref\) hook/);
  });

  it('fails when a connector declares reportsDeletions without a checkGone method', async () => {
    const memory = connector();
    const caps = await memory.getCapabilities();
    const withoutCheckGone = Object.assign(Object.create(memory) as InMemoryConnector, {
      checkGone: undefined,
    });
    expect(() => requireTombstoneHooks(withoutCheckGone, caps, { removeIssue: () => undefined })).toThrow(
      /has no checkGone\(refs\) method/,
    );
  });

  it('returns null (checks skipped) when reportsDeletions is not declared, and the hooks when it is', async () => {
    const memory = connector();
    const caps = await memory.getCapabilities();
    expect(requireTombstoneHooks(memory, { ...caps, reportsDeletions: false }, {})).toBeNull();
    const ready = requireTombstoneHooks(memory, caps, { removeIssue: () => 'deleted' });
    expect(await ready?.removeIssue(createRef({ system: 'memory', workspace: 'conformance', id: 'x' }))).toBe(
      'deleted',
    );
  });
});
