/** The `app` and `tasks` channels: what the console is, and the catalogue's tasks and expert programs. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { TaskSummary } from '../../../../shared/ipc/contract.ts';
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { TIERS } from '../../../../shared/api/tiers.ts';
import { objectInstanceNames, type TaskDefinition } from '../../../../shared/tasks.ts';
import { WORKCELLS } from '../../../../shared/workcells.ts';
import { listRealArmTasks, listTaskIds } from '../../trials/catalog.ts';
import { expertOrNotFound, taskOrNotFound } from '../../runs/run-jobs.ts';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Handlers of `app` (version, shell, store) and `tasks`. */
export function taskHandlers(app: { shell: 'electron' | 'browser'; storePath: string }): Pick<Handlers, 'app' | 'tasks'> {
  return {
    app: { info: () => ({ version: PACKAGE_VERSION, shell: app.shell, storePath: app.storePath }) },
    tasks: {
      list: () => listTaskIds().map((id) => taskSummary(taskOrNotFound(id))),
      get: ({ id }) => taskSummary(taskOrNotFound(id)),
      // The console runs a real arm's program at S1: the camera programs (S3) are the CLI's (--camera).
      forArm: ({ robot, camera }) => listRealArmTasks(robot).flatMap(({ id, programName, tier }) => ((tier !== 'S1') === camera ? [{ id, programName }] : [])),
      expert: ({ taskId, tier }) => {
        const program = expertOrNotFound(taskOrNotFound(taskId).id, TIERS[tier]);
        return { programName: program.programName, source: program.programSource };
      },
    },
  };
}

function taskSummary(task: TaskDefinition): z.input<typeof TaskSummary> {
  return {
    id: task.id,
    title: task.title,
    instruction: task.instruction,
    workcell: task.workcell,
    arms: WORKCELLS[task.workcell].arms.map((arm) => arm.name),
    objects: task.objects.flatMap(objectInstanceNames),
    timeLimitS: task.timeLimitS,
  };
}
