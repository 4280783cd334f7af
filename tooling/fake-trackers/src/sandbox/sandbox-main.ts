// The `fake` process: a loopback tracker sandbox until SIGINT/SIGTERM (see bin/fake-tracker.mjs).
import { SANDBOX_USAGE, SandboxUsageError } from './sandbox-args';
import { runSandboxCli } from './sandbox-cli';

const output = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };

try {
  const sandbox = await runSandboxCli(process.argv.slice(2), output);
  if (sandbox) {
    const stop = () => {
      void sandbox.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  if (error instanceof SandboxUsageError) {
    console.error(`${(error as Error).message}\n\n${SANDBOX_USAGE}`);
    process.exit(2);
  }
  console.error(`fake: ${(error as Error).message}`);
  process.exit(1);
}
