// Profiles only the measured run of one scenario (setup excluded): writes a .cpuprofile.
// `node --expose-gc --import tsx bench/profile-scenario.ts <scenario> <size> <out.cpuprofile>`
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { runScenario, type Scenario } from './engine-scenario';

const [scenario, size, out] = process.argv.slice(2);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
const result = await runScenario(scenario as Scenario, Number(size), true, {
  before: async () => {
    await session.post('Profiler.start');
  },
  after: async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(out ?? 'scenario.cpuprofile', JSON.stringify(profile));
  },
});
console.log(JSON.stringify(result));
