// Shared plumbing of the fake `bd` and `fp` executables: a pflag-like argv parser, a locked JSON
// state file, a call log, and fault injection. Plain ESM JavaScript so `node` runs it directly.
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export class UsageError extends Error {}

/**
 * Parses argv like spf13/pflag: flags may appear anywhere, `--` ends flags, `--f=v` and `--f v`
 * (the next arg is taken as the value even if it starts with '-'), `-x v` / `-xv` shorthands,
 * bool flags take no value (`--b=false` allowed). `spec` maps names (long and short) to
 * { name, type: 'bool' | 'string' | 'array' }.
 */
export function parseFlags(args, spec) {
  const flags = {};
  const positionals = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const long = arg.startsWith('--');
      let key = long ? arg.slice(2) : arg.slice(1, 2);
      let inline = null;
      if (long && key.includes('=')) {
        inline = key.slice(key.indexOf('=') + 1);
        key = key.slice(0, key.indexOf('='));
      } else if (!long && arg.length > 2) {
        inline = arg.slice(2).replace(/^=/, '');
      }
      const def = spec[key];
      if (def === undefined) {
        throw new UsageError(long ? `unknown flag: --${key}` : `unknown shorthand flag: '${key}' in ${arg}`);
      }
      if (def.type === 'bool') {
        flags[def.name] = inline === null ? true : inline !== 'false';
        continue;
      }
      let value = inline;
      if (value === null) {
        if (i + 1 >= args.length)
          throw new UsageError(`flag needs an argument: ${long ? `--${key}` : `-${key}`}`);
        value = args[++i];
      }
      if (def.type === 'array') {
        // pflag StringSlice: each occurrence may hold a comma-separated list.
        const parts = value === '' ? [] : value.split(',');
        flags[def.name] = [...(flags[def.name] ?? []), ...parts];
      } else if (def.type === 'stringArray') {
        flags[def.name] = [...(flags[def.name] ?? []), value];
      } else {
        flags[def.name] = value;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { flags, positionals };
}

/** Builds a parseFlags spec from `[['status', 's', 'string'], ...]`. */
export function flagSpec(entries) {
  const spec = {};
  for (const [name, short, type] of entries) {
    spec[name] = { name, type };
    if (short) spec[short] = { name, type };
  }
  return spec;
}

export function findUp(start, folder) {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, folder);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn(state)` under a lock; the state file is rewritten atomically when fn returns `true`. */
export function withState(stateDir, fileName, initial, fn) {
  const file = join(stateDir, fileName);
  const lock = join(stateDir, `${fileName}.lock`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST' || Date.now() > deadline) throw error;
      sleep(5);
    }
  }
  try {
    const state = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : initial();
    const result = fn(state);
    if (result?.write) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(state, null, 2));
      renameSync(tmp, file);
    }
    return result;
  } finally {
    rmdirSync(lock);
  }
}

export function logCall(stateDir, tool, argv) {
  if (stateDir === null) return;
  try {
    appendFileSync(join(stateDir, 'calls.jsonl'), `${JSON.stringify({ tool, argv, cwd: process.cwd() })}\n`);
  } catch {
    // the call log is best effort
  }
}

/** Go's RFC3339Nano in UTC: fractional seconds with trailing zeros trimmed. */
export function goTime(date = new Date()) {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac) => (frac === '' ? 'Z' : `.${frac}Z`));
}

/** A monotonic clock: FAKE_CLI_NOW (ISO) pins the start; each call is at least 1 ms after the last. */
export function nextTimestamp(state) {
  const pinned = process.env.FAKE_CLI_NOW ? Date.parse(process.env.FAKE_CLI_NOW) : Date.now();
  const last = state.lastTimestampMs ?? 0;
  const ms = Math.max(pinned, last + 1);
  state.lastTimestampMs = ms;
  return goTime(new Date(ms));
}

export function hashId(seed, alphabet, length) {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += alphabet[digest[i % digest.length] % alphabet.length];
  return out;
}

/**
 * Fault rules: FAKE_CLI_FAULT / FAKE_<TOOL>_FAULT = "kind[:arg][@command],…" and, for faults a test
 * arms between calls, `<stateDir>/faults.json` = [{ kind, arg, match, times }].
 * kinds: slow:<ms> (sleep first), hang, crash[:code], kill (SIGKILL itself), huge:<bytes> (valid
 * output padded to more than <bytes>), garbage (non-JSON on stdout, exit 0), stderr:<text> (extra stderr).
 */
export function activeFaults(tool, stateDir, commandPath) {
  const rules = [];
  for (const source of [process.env.FAKE_CLI_FAULT, process.env[`FAKE_${tool.toUpperCase()}_FAULT`]]) {
    if (!source) continue;
    for (const raw of source.split(',')) {
      const text = raw.trim();
      if (text === '') continue;
      const [body, match] = text.split('@');
      const colon = body.indexOf(':');
      rules.push({
        kind: colon === -1 ? body : body.slice(0, colon),
        arg: colon === -1 ? null : body.slice(colon + 1),
        match: match ?? null,
      });
    }
  }
  if (stateDir !== null) {
    const file = join(stateDir, 'faults.json');
    if (existsSync(file)) {
      const armed = JSON.parse(readFileSync(file, 'utf8'));
      const remaining = [];
      for (const rule of armed) {
        const applies = rule.match == null || commandPath.startsWith(rule.match);
        if (applies) rules.push(rule);
        const times = rule.times ?? null;
        if (applies && times !== null) {
          if (times > 1) remaining.push({ ...rule, times: times - 1 });
        } else {
          remaining.push(rule);
        }
      }
      writeFileSync(file, JSON.stringify(remaining));
    }
  }
  return rules.filter((rule) => rule.match == null || commandPath.startsWith(rule.match));
}

/** Applies the faults that act before the command runs; returns the ones that shape its output. */
export function applyPreFaults(faults) {
  for (const fault of faults) {
    if (fault.kind === 'slow') sleep(Number(fault.arg ?? 5000));
    if (fault.kind === 'hang') {
      setInterval(() => {}, 1 << 30);
      return { hang: true };
    }
    if (fault.kind === 'crash') {
      process.stderr.write(
        'panic: runtime error: invalid memory address or nil pointer dereference (fake crash)\n',
      );
      process.exit(Number(fault.arg ?? 2));
    }
    if (fault.kind === 'kill') process.kill(process.pid, 'SIGKILL');
    if (fault.kind === 'stderr') process.stderr.write(`${fault.arg ?? 'warning'}\n`);
  }
  return {
    hang: false,
    garbage: faults.some((f) => f.kind === 'garbage'),
    hugeBytes: faults
      .filter((f) => f.kind === 'huge')
      .reduce((n, f) => Math.max(n, Number(f.arg ?? 2_000_000)), 0),
  };
}

/** Writes stdout (string) honouring output faults; `padding` must keep the output valid for the tool. */
export function emit(text, shaping, padding) {
  if (shaping.garbage) {
    process.stdout.write('{"id": "truncated because the fake was told to print garbage\n');
    return;
  }
  if (shaping.hugeBytes > 0) {
    const chunk = padding.repeat(Math.ceil(65_536 / padding.length));
    let written = 0;
    while (written < shaping.hugeBytes) {
      process.stdout.write(chunk);
      written += chunk.length;
    }
  }
  process.stdout.write(text);
}
