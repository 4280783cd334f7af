// One worker process for the multi-process tests and the benchmark. Configured by env:
//   DATABASE_URL, WORKER_SCHEMA, WORKER_ID, WORKER_CONCURRENCY, WORKER_LEASE_MS,
//   WORKER_EXPIRE_SECONDS. Prints `ready` once it takes jobs; SIGTERM stops it gracefully.
import { SyncWorker } from '../dist/index.js';
import { seededMemoryFactory } from './seeded-memory.mjs';

const env = process.env;
const worker = await SyncWorker.start({
  connectionString: env.DATABASE_URL,
  schema: env.WORKER_SCHEMA,
  workerId: env.WORKER_ID,
  concurrency: Number(env.WORKER_CONCURRENCY ?? 2),
  leaseTtlMs: Number(env.WORKER_LEASE_MS ?? 3000),
  jobExpireSeconds: Number(env.WORKER_EXPIRE_SECONDS ?? 5),
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
  tickIntervalMs: 0,
  retryDelaySeconds: Number(env.WORKER_RETRY_DELAY_SECONDS ?? 1),
  deferSeconds: 1,
  poolSize: Number(env.WORKER_POOL_SIZE ?? 4),
  createConnector: seededMemoryFactory,
  engineOptions: { maxRetryAttempts: 0 },
});
worker.installSignalHandlers(() => process.exit(0));
process.stdout.write('ready\n');
