// Adds up the vitest JSON reports of every workspace package and prints one closing line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
let passed = 0;
let failed = 0;
let skipped = 0;
let packages = 0;
for (const group of ['packages', 'tooling', 'examples']) {
  for (const name of readdirSync(join(root, group))) {
    const report = join(root, group, name, '.vitest-report.json');
    if (!existsSync(report)) continue;
    const data = JSON.parse(readFileSync(report, 'utf8'));
    passed += data.numPassedTests ?? 0;
    failed += data.numFailedTests ?? 0;
    skipped += (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
    packages += 1;
  }
}
console.log(`\n${packages} packages tested`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
