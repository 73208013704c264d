/**
 * The main-process side of the console contract: one handler per channel, shared by the
 * browser-mode WebSocket server and the Electron IPC handlers. The work is in the services
 * (runs, bench, safety, skills, twin); handlers translate requests and turn failures into the
 * contract's error codes.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { CONTRACT, type Skill as SkillSchema, type SkillSummary, type TaskSummary } from '../../../shared/ipc/contract.ts';
import type { Emitter, Handlers } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import { objectInstanceNames, type TaskDefinition } from '../../../shared/tasks.ts';
import { TIERS } from '../../../shared/api/tiers.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { listRealArmTasks, listTaskIds } from '../runs/catalog.ts';
import type { SkillMode } from '../agents/service.ts';
import type { RunStore } from '../storage/run-store.ts';
import { SkillStore, type Skill } from '../storage/skill-store.ts';
import type { PolicyLimits } from '../runs/trial.ts';
import { BenchService } from '../runs/bench-service.ts';
import { expertOrNotFound, jobFromRequest, skillTestJob, taskOrNotFound } from '../runs/run-jobs.ts';
import { NetworkCameraService, networkCameraHandlers } from '../cameras/network-cameras.ts';
import { RunService } from '../runs/run-service.ts';
import type { DevicesService } from '../robots/devices.ts';
import { ConsoleSafety } from '../supervision/console-safety.ts';
import type { TwinPort } from '../viewer/twin-port.ts';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What the console's services need. */
export interface ConsoleServicesOptions {
  readonly store: RunStore;
  readonly twin: TwinPort;
  readonly emitter: Emitter;
  readonly shell: 'electron' | 'browser';
  /** Policy limits for runs and bench trials (tests shorten the wall clock). */
  readonly limits?: Partial<PolicyLimits>;
  /** How model names become providers (tests point them at a local server). */
  readonly createProvider?: (name: string) => ModelProvider;
  /** Skills and agents: offered and learned from successes (default, as `caplab run`), offered only, or off. */
  readonly skillMode?: SkillMode;
  /** Connected real arms: `get` loads the service, `loaded` is null until something did. */
  readonly devices?: { get(): Promise<DevicesService>; loaded(): DevicesService | null };
  /** Whether any page watches network-camera frames now (frames are not pushed otherwise); default: always. */
  readonly cameraFramesWanted?: () => boolean;
  /** Handlers of domains served by other services (devices); channels of none answer not_available. */
  readonly extraHandlers?: Partial<Omit<Handlers, ConsoleDomain>>;
}

/** The domains these services answer. */
export type ConsoleDomain = 'app' | 'tasks' | 'runs' | 'terminal' | 'twin' | 'cameras' | 'skills' | 'bench' | 'safety';

/** The console's services and the handlers over them. */
export interface ConsoleServices {
  readonly handlers: Handlers;
  readonly runs: RunService;
  readonly bench: BenchService;
  readonly safety: ConsoleSafety;
  readonly skills: SkillStore;
  readonly store: RunStore;
  readonly twin: TwinPort;
  readonly networkCameras: NetworkCameraService;
  /** Stop what runs and wait for it (the store and twin stay open: their owner closes them). */
  dispose(): Promise<void>;
}

/** Build the services and their handlers. */
export function createConsoleServices(options: ConsoleServicesOptions): ConsoleServices {
  const { store, twin, emitter } = options;
  // The services refer to one another only in callbacks, called once all exist.
  const safety = new ConsoleSafety((status) => emitter.safety.changed(status), {
    onHeartbeatLost: (reason) => {
      runs.halt(reason);
      bench.stop();
    },
  });
  const skills = new SkillStore(store);
  const runs: RunService = new RunService({
    store,
    twin,
    emitter,
    ...(options.limits ? { limits: options.limits } : {}),
    busyWith: () => (bench.running ? 'a bench matrix' : null),
    onRunStarting: () => safety.clearLatch(),
  });
  const bench: BenchService = new BenchService({
    store,
    emitter,
    ...(options.limits ? { limits: options.limits } : {}),
    busyWith: () => (runs.running ? `run ${runs.currentRunId ?? ''}`.trim() : null),
  });
  const deps = {
    store,
    // The providers load with the first agent run, not at start.
    createProvider: options.createProvider ?? (async (name: string) => (await import('../providers/registry.ts')).createProvider(name)),
    skillMode: options.skillMode ?? 'learn',
    ...(options.devices ? { devices: options.devices.get } : {}),
    armed: () => safety.status().armed,
  };
  const ok = { ok: true as const };
  const networkCameras = new NetworkCameraService({
    onFrame: (frame) => emitter.cameras.frame(frame),
    ...(options.cameraFramesWanted ? { wantsFrames: options.cameraFramesWanted } : {}),
  });

  const core: Pick<Handlers, ConsoleDomain> = {
    app: { info: () => ({ version: PACKAGE_VERSION, shell: options.shell, storePath: store.path }) },
    tasks: {
      list: () => listTaskIds().map((id) => taskSummary(taskOrNotFound(id))),
      get: ({ id }) => taskSummary(taskOrNotFound(id)),
      forArm: ({ robot }) => listRealArmTasks(robot),
      expert: ({ taskId, tier }) => {
        const program = expertOrNotFound(taskOrNotFound(taskId).id, TIERS[tier]);
        return { programName: program.programName, source: program.programSource };
      },
    },
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
    twin: {
      scene: () => twin.scene(),
      load: ({ taskId, seed }) => {
        if (runs.running) throw new IpcError('busy', 'the twin follows the run in progress; load another task when it has ended');
        return twin.load(taskOrNotFound(taskId).id, seed);
      },
      recording: ({ runId }) => twin.recording(runId),
    },
    cameras: {
      list: () => twin.cameraNames(),
      render: ({ camera, widthPx, heightPx }) => {
        const names = twin.cameraNames();
        if (names.length > 0 && !names.includes(camera)) throw new IpcError('not_found', `no camera '${camera}' in the scene now shown; cameras: ${names.join(', ')}`);
        return twin.render(camera, widthPx, heightPx);
      },
      ...networkCameraHandlers(networkCameras),
    },
    skills: {
      list: () => skills.list().map(skillSummary),
      search: ({ query }) => skills.search(query, { limit: 50 }).map(skillSummary),
      get: ({ name }) => skillDetail(skillOrNotFound(skills, name)),
      update: ({ name, source, description }) => skillDetail(updateSkill(skills, name, source, description)),
      delete: ({ name }) => {
        if (!skills.delete(name)) throw new IpcError('not_found', `no skill named ${name}`);
        return ok;
      },
      test: async ({ name, seed }) => ({ runId: await runs.start(skillTestJob(skills, name, seed ?? freshSeed())) }),
    },
    bench: {
      start: (request) => ({ benchId: bench.start(request) }),
      stop: () => ({ stopped: bench.stop() }),
      results: ({ limit }) => bench.results(limit),
    },
    safety: {
      stop: ({ reason }) => {
        const why = reason ?? 'operator pressed STOP';
        const haltAt = runs.halt(why);
        bench.stop();
        // Connected arms halt too, whether or not a program runs on them.
        options.devices?.loaded()?.haltAll(why);
        return safety.latchStop(why, haltAt ?? Date.now());
      },
      arm: () => safety.arm(),
      disarm: () => safety.disarm(),
      status: () => safety.status(),
      heartbeat: () => {
        safety.heartbeat();
        return ok;
      },
    },
  };

  return {
    handlers: withEveryDomain({ ...core, ...options.extraHandlers }),
    runs,
    bench,
    safety,
    skills,
    store,
    twin,
    networkCameras,
    async dispose() {
      safety.dispose();
      networkCameras.dispose();
      await Promise.all([runs.dispose(), bench.dispose()]);
    },
  };
}

/** Domains nobody serves here answer every call with not_available. */
function withEveryDomain(partial: Partial<Handlers>): Handlers {
  const table: Record<string, unknown> = { ...partial };
  for (const [domain, entries] of Object.entries(CONTRACT)) {
    table[domain] ??= Object.fromEntries(
      Object.values(entries).map((d: { name: string; channel: string }) => [
        d.name,
        () => {
          throw new IpcError('not_available', `${d.channel}: not served by this console`);
        },
      ]),
    );
  }
  return table as Handlers;
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

function skillOrNotFound(skills: SkillStore, name: string): Skill {
  const skill = skills.get(name);
  if (!skill) throw new IpcError('not_found', `no skill named ${name}`);
  return skill;
}

/** A new version of a skill (or a new skill) from edited source. */
function updateSkill(skills: SkillStore, name: string, source: string, description: string | undefined): Skill {
  const existing = skills.get(name);
  const signature = new RegExp(`def\\s+(${name}\\s*\\([^)]*\\))`).exec(source)?.[1]?.replace(/\s+/g, ' ');
  if (!signature) throw new IpcError('invalid_request', `the source must define ${name}()`, `def ${name}(...): with a docstring`);
  try {
    return skills.save({
      name,
      description: description ?? existing?.description ?? '',
      signature,
      source,
      example: existing?.example ?? `${name}()`,
      ...(existing?.task ? { task: existing.task } : {}),
      ...(existing?.model ? { model: existing.model } : {}),
    });
  } catch (error) {
    throw new IpcError('invalid_request', (error as Error).message, 'a Python function named like the skill');
  }
}

function skillSummary(skill: Skill): z.input<typeof SkillSummary> {
  return { name: skill.name, description: skill.description, successes: skill.successes, trials: skill.trials, updatedAt: skill.updatedAt };
}

function skillDetail(skill: Skill): z.input<typeof SkillSchema> {
  return { ...skillSummary(skill), source: skill.source, taskId: skill.task, version: skill.version };
}

/** A seed no bench uses (benches count up from small numbers). */
function freshSeed(): number {
  return 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
}
