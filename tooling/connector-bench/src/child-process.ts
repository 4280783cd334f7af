// A child process the benchmark talks to by lines, while this process keeps serving the fakes
// (a synchronous spawn would block the event loop the fakes answer on).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LineChild {
  /** The next line the child prints on stdout; rejects if it exits first. */
  nextLine(): Promise<string>;
  send(line: string): void;
  /** Resolves with the exit code once the child has exited. */
  exited: Promise<number | null>;
  /** Everything the child printed on stderr so far. */
  stderr(): string;
}

export function startLineChild(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): LineChild {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: 'pipe',
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    async nextLine() {
      const next = await lines.next();
      if (next.done) throw new Error(`${command} ${args.join(' ')} exited early:\n${errors}`);
      return next.value;
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    exited,
    stderr: () => errors,
  };
}
