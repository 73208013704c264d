// Entry of every worker thread: registers the TypeScript loader (tsx) inside the worker, then
// imports the real entry. Node 20 does not apply `--import tsx` from a worker's execArgv before
// the worker's main module loads, so a plain-JS bootstrap is needed.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entryUrl);
