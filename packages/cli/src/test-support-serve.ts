import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CanonicalIssue } from '@spec-kitty/core';
import { SqliteIssueStore } from '@spec-kitty/store-sqlite';
import { BUILT_BIN } from './test-support';

/** One JSON log line of `serve`. */
export type ServeLogLine = Record<string, unknown> & { event: string };

/** `serve` running as a child process of the built CLI. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** The log lines so far. */
  lines(): ServeLogLine[];
  /** Everything written to stdout and stderr so far (for failure messages and secret checks). */
  output(): string;
  /** Resolves with the first log line (counting from the start) that `match` accepts. */
  waitForLine(match: (line: ServeLogLine) => boolean, timeoutMs?: number): Promise<ServeLogLine>;
  /** Sends `signal` and resolves with the exit code (or the signal's name when killed by it). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | string>;
}

/** Starts `spec-kitty-tracker serve <args>` in `cwd` and resolves once it logged `listening`. */
export function startServe(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BUILT_BIN, 'serve', ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let pending = '';
  const lines: ServeLogLine[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    pending += chunk;
    let end = pending.indexOf('\n');
    while (end >= 0) {
      const text = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (text.trim() !== '') {
        try {
          lines.push(JSON.parse(text) as ServeLogLine);
        } catch {
          lines.push({ event: 'unparsed', text });
        }
      }
      end = pending.indexOf('\n');
    }
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      notify();
    });
  });
  let exitedWith: number | string | null = null;
  void exited.then((code) => {
    exitedWith = code;
  });

  const waitForLine = (match: (line: ServeLogLine) => boolean, timeoutMs = 10_000) =>
    new Promise<ServeLogLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (exitedWith !== null) {
          done();
          reject(new Error(`serve exited (${exitedWith}) before the expected log line:\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`serve did not log the expected line within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return waitForLine((line) => line.event === 'listening', options.timeoutMs ?? 20_000).then(
    (listening) => {
      const port = listening.port as number;
      return {
        child,
        port,
        url: `http://127.0.0.1:${port}`,
        lines: () => [...lines],
        output: () => output,
        waitForLine,
        exited,
        async stop(signal: NodeJS.Signals = 'SIGTERM') {
          if (exitedWith === null) child.kill(signal);
          return exited;
        },
      };
    },
    (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
}

/** What `POST`ing a delivery got back. */
export interface DeliveryAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** POSTs raw bytes with exactly these headers (no JSON re-serialisation). */
export async function postDelivery(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<DeliveryAnswer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

export async function getHealth(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/healthz`);
  return (await response.json()) as Record<string, unknown>;
}

/** A delivery as a vendor sent it: headers (lower-case names) and the raw body. */
export interface RecordedDelivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A loopback webhook receiver that records every delivery and answers 202, so a test can take a
 * genuine delivery from a fake and replay, tamper with or re-sign it.
 */
export async function startRecorder(): Promise<{
  url: string;
  deliveries: RecordedDelivery[];
  close(): Promise<void>;
}> {
  const deliveries: RecordedDelivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ headers: flatHeaders(req.headers), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The headers a vendor set, without the ones the HTTP client adds for its own connection. */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))
      continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The project's store opened read-only beside serve (close it when done). */
export function openStoreReader(projectDir: string): SqliteIssueStore {
  return SqliteIssueStore.open(join(projectDir, '.spec-kitty', 'tracker.db'), { readonly: true });
}

/** The title the store holds for the issue whose id or key is `idOrKey`, or undefined. */
export async function storedTitle(store: SqliteIssueStore, idOrKey: string): Promise<string | undefined> {
  const issues: CanonicalIssue[] = await store.listIssues();
  return issues.find((issue) => issue.ref.id === idOrKey || issue.ref.key === idOrKey)?.title;
}

/** Polls `check` every 10 ms until it returns true or `ms` pass; resolves with the milliseconds it took. */
export async function within(
  ms: number,
  check: () => Promise<boolean> | boolean,
  what: string,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
