/**
 * Start a worker thread whose entry is a TypeScript module. The worker receives `data` as
 * `workerData.data`.
 */
import { Worker } from 'node:worker_threads';

/** Start `entryUrl` (a `file:` URL of a .ts module) in a new worker thread. */
export function startTsWorker(entryUrl: URL, data: unknown): Worker {
  return new Worker(new URL('./worker-boot.mjs', import.meta.url), {
    workerData: { entryUrl: entryUrl.href, data },
  });
}
