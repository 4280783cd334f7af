#!/usr/bin/env node
// The fakes are TypeScript source (decision 0003): load them through tsx, then run the sandbox.
import { register } from 'tsx/esm/api';

register();
await import('../src/sandbox/sandbox-main.ts');
