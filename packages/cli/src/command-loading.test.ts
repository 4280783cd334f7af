// The binary loads commands on demand (command-table.ts) and skips the first-party connectors that
// have no preflight hook (FIRST_PARTY_PREFLIGHTS): both tables must stay true to what they stand for.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectorPreflightContext, KNOWN_CONNECTOR_PACKAGES } from '@spec-kitty/core';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './command-list';
import { COMMAND_TABLE } from './command-table';
import { FIRST_PARTY_PREFLIGHTS, loadConnectorDefinition } from './connector-loader';

const definitionOf = (id: string) => loadConnectorDefinition(id, undefined, [process.cwd()]);

describe('the command table', () => {
  it('names every command, in help order, with its subcommands, and loads that command', async () => {
    expect(COMMAND_TABLE.map((entry) => entry.name)).toEqual(COMMANDS.map((command) => command.name));
    for (const [index, entry] of COMMAND_TABLE.entries()) {
      const command = COMMANDS[index];
      expect(await entry.load()).toBe(command);
      expect(entry.subcommands, entry.name).toEqual((command?.subcommands ?? []).map((sub) => sub.name));
    }
  });
});

describe('FIRST_PARTY_PREFLIGHTS', () => {
  it('lists exactly the first-party connectors whose definition has a preflight hook', async () => {
    const withHook: string[] = [];
    for (const id of Object.keys(KNOWN_CONNECTOR_PACKAGES)) {
      if ((await definitionOf(id)).cli?.preflight !== undefined) withHook.push(id);
    }
    expect(Object.keys(FIRST_PARTY_PREFLIGHTS).sort()).toEqual(withHook.sort());
  });

  it('skips a hook only where the hook itself has nothing to say', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'spec-kitty-preflight-'));
    const withBeads = mkdtempSync(join(tmpdir(), 'spec-kitty-preflight-'));
    mkdirSync(join(withBeads, '.beads'));
    try {
      // Wherever the table skips a hook (every run of a bare project; pulls and Beads' own runs in
      // a project with a .beads workspace), the hook itself answers ok.
      const providers = [...Object.keys(KNOWN_CONNECTOR_PACKAGES), 'third_party'];
      for (const [id, applies] of Object.entries(FIRST_PARTY_PREFLIGHTS)) {
        const hook = (await definitionOf(id)).cli?.preflight;
        for (const projectDir of [bare, withBeads])
          for (const provider of providers)
            for (const operation of ['pull', 'push', 'sync'] as const) {
              const context: ConnectorPreflightContext = { projectDir, provider, operation, env: {} };
              if (applies(context)) continue;
              expect(await hook?.(context), `${id}: ${provider} ${operation}`).toEqual({ ok: true });
            }
      }
      const push = { provider: 'github', operation: 'push', env: {} } as const;
      expect(FIRST_PARTY_PREFLIGHTS.beads?.({ ...push, projectDir: bare })).toBe(false);
      expect(FIRST_PARTY_PREFLIGHTS.beads?.({ ...push, projectDir: withBeads })).toBe(true);
    } finally {
      rmSync(bare, { recursive: true, force: true });
      rmSync(withBeads, { recursive: true, force: true });
    }
  });
});
