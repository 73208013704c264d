/** The `runs` and `terminal` channels: start and stop runs, the run history, the running policy's terminal. */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../../shared/ipc/errors.ts';
import { jobFromRequest, type JobDeps } from '../../runs/run-jobs.ts';
import type { RunService } from '../../runs/run-service.ts';
import type { RunStore } from '../../storage/run-store.ts';

/** Handlers of `runs` and `terminal`. */
export function runHandlers(runs: RunService, store: RunStore, deps: JobDeps): Pick<Handlers, 'runs' | 'terminal'> {
  const ok = { ok: true as const };
  return {
    runs: {
      start: async (request) => ({ runId: await runs.start(await jobFromRequest(request, deps)) }),
      stop: ({ runId }) => ({ stopped: runs.halt('stopped by operator', runId) !== null }),
      list: ({ task, status, search, limit }) =>
        store.listRuns({ ...(task ? { task } : {}), ...(status ? { status } : {}), ...(search ? { search } : {}), limit }),
      get: ({ id }) => {
        const run = store.getRun(id);
        if (!run) throw new IpcError('not_found', `no run ${id} in ${store.path}`);
        return run;
      },
      current: () => ({ runId: runs.currentRunId }),
      approve: ({ runId, approve }) => {
        runs.approve(runId, approve);
        return ok;
      },
    },
    terminal: {
      write: ({ data }) => {
        runs.write(data);
        return ok;
      },
      resize: ({ cols, rows }) => {
        runs.resize(cols, rows);
        return ok;
      },
    },
  };
}
