/** Where a command writes and what it reads from its environment (injectable for tests). */
export interface OutputStream {
  /** Writes a chunk of text. */
  write(chunk: string): unknown;
  /** Whether it is a terminal (enables progress output). */
  readonly isTTY?: boolean;
  /** Terminal width. */
  readonly columns?: number;
}

/** The streams, environment and working directory a CLI run uses. */
export interface CliIO {
  /** Results (text or JSON). */
  readonly stdout: OutputStream;
  /** Progress, warnings and errors. */
  readonly stderr: OutputStream;
  /** Environment variables (credentials are read from here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory (the config is searched from here). */
  readonly cwd: string;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
