// Preloaded (`node --import`) by tests: records the URL of every module the process resolves
// (ESM imports, and the CommonJS entry points they reach) to $RECORD_MODULE_LOADS, one a line.
import { register } from 'node:module';

if (process.env.RECORD_MODULE_LOADS) register('./record-module-loads-hooks.mjs', import.meta.url);
