import { describe, expect, it } from 'vitest';
import { parseDuration, parseFault, parseSandboxArgs, SandboxUsageError } from './sandbox-args';

describe('parseSandboxArgs', () => {
  it('reads the documented example', () => {
    const options = parseSandboxArgs([
      'github',
      ...['--seed', '500', '--port', '0', '--fault', '500:0.1', '--fault', '429:0.05', '--latency', '50ms'],
    ]);
    expect(options).toMatchObject({
      vendor: 'github',
      seed: 500,
      port: 0,
      latencyMs: 50,
      faultSeed: 1,
      json: false,
    });
    expect(options?.faults.map((fault) => [fault.label, fault.rate, fault.fault])).toEqual([
      ['500:0.1', 0.1, { kind: 'status', status: 500 }],
      ['429:0.05', 0.05, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }],
    ]);
  });

  it('knows every vendor, with azure_devops as an alias', () => {
    for (const vendor of ['github', 'gitlab', 'linear', 'jira', 'azure'])
      expect(parseSandboxArgs([vendor])?.vendor).toBe(vendor);
    expect(parseSandboxArgs(['azure_devops'])?.vendor).toBe('azure');
    expect(parseSandboxArgs(['--help'])).toBeNull();
  });

  it('refuses what it cannot honour, naming the flag', () => {
    expect(() => parseSandboxArgs([])).toThrow(/Name a vendor/);
    expect(() => parseSandboxArgs(['trello'])).toThrow(/Unknown vendor "trello"/);
    expect(() => parseSandboxArgs(['github', '--seed', 'many'])).toThrow(SandboxUsageError);
    expect(() => parseSandboxArgs(['github', '--port', '70000'])).toThrow(/--port/);
    expect(() => parseSandboxArgs(['github', '--sed', '5'])).toThrow(SandboxUsageError);
    expect(() => parseSandboxArgs(['github', '--fault', '500:0.7', '--fault', '503:0.4'])).toThrow(
      /add up to 1.1/,
    );
  });
});

describe('parseFault and parseDuration', () => {
  it('accepts statuses, reset and timeout at a rate in (0, 1]', () => {
    expect(parseFault('reset:1').fault).toEqual({ kind: 'reset' });
    expect(parseFault('timeout:0.01').fault).toEqual({ kind: 'timeout' });
    expect(parseFault('502:.5').rate).toBe(0.5);
    for (const bad of ['500', '500:0', '500:1.5', '200:0.1', 'boom:0.1', '500:abc'])
      expect(() => parseFault(bad), bad).toThrow(SandboxUsageError);
  });

  it('reads milliseconds and seconds', () => {
    expect(parseDuration('50ms')).toBe(50);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('20')).toBe(20);
    expect(() => parseDuration('fast')).toThrow(/--latency/);
  });
});
