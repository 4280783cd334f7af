// Preloaded (`node --import`) into a benchmarked process: on exit, writes the process's own
// resource usage (CPU time, peak RSS) to $BENCH_RUSAGE_OUT, as Node cannot read a child's.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RUSAGE_OUT;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
        maxRssMb: usage.maxRSS / 1024,
      }),
    );
  });
}
