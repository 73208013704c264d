/**
 * What a console run runs, decided from the request before anything starts (so a wrong task,
 * agent or model fails the call with its code, not the run): the task's expert program, an
 * edited program, a model-driven agent, or a skill's example call.
 */
import type { z } from 'zod';
import { AGENT_KINDS, isProgramAgent, type AgentEvent, type AgentKind, type ModelAgentKind, type ProgramAgent } from '../../../shared/agent.ts';
import { TIERS, type TierSettings } from '../../../shared/api/tiers.ts';
import type { RunStartRequest } from '../../../shared/ipc/contract.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { SkillMode } from '../agents/service.ts';
import { CatalogError, loadTask, readAgentProgram, readRealArmProgram, type ProgramText, type RealArm } from '../trials/catalog.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { SkillStore } from '../storage/skill-store.ts';
import { runTrial, type TrialOptions } from '../trials/trial.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import type { DevicesService } from '../robots/devices.ts';
import { fixedArming, type ArmingSource } from '../supervision/arming.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import type { CameraCalibration } from '../../../native/drivers/camera/calibration-file.ts';
import type { ColourBook } from '../../../native/perception/colour-teach.ts';
import { cameraArmJob } from './camera-arm-job.ts';

/** What a job's trial gets from the run service: where to report and how to be stopped. */
export type TrialHooks = Required<Pick<TrialOptions, 'onEvent' | 'onReady' | 'onPolicyRun' | 'signal'>> &
  Pick<TrialOptions, 'telemetry'> & {
  readonly backend: SimBackend;
  readonly limits?: Partial<PolicyLimits>;
};

/** A run's telemetry recording, by its id (`run-telemetry.ts`). */
export type TelemetryFor = (runId: number) => NonNullable<TrialOptions['telemetry']>;

/** Extra hooks of agent runs: the record's id as soon as it exists, and the agent's events. */
export interface AgentHooks {
  readonly onRecord: (runId: number) => void;
  readonly onAgentEvent: (event: AgentEvent) => void;
  /** Where the run's telemetry goes once its id exists. */
  readonly telemetryFor?: TelemetryFor;
}

interface JobBase {
  readonly task: TaskDefinition;
  readonly tier: TierSettings;
  readonly seed: number;
}

/** A fixed program (expert, edited, skill example): recorded by the run service. */
export interface ProgramJob extends JobBase {
  readonly kind: 'program';
  /** The agent name the run store keeps (`expert`, `program`, `skill`). */
  readonly agent: string;
  readonly program: ProgramText;
  run(hooks: TrialHooks): Promise<TrialOutcome>;
}

/** A model-driven agent: the agent service records the run and its turns. */
export interface AgentJob extends JobBase {
  readonly kind: 'agent';
  run(hooks: TrialHooks, agentHooks: AgentHooks): Promise<TrialOutcome>;
}

/** What a real-arm job's run gets from the run service. */
export interface RealArmHooks {
  readonly signal: AbortSignal;
  readonly onEvent: (event: PolicyEvent) => void;
  /** The twin's result, before the arm may move, and whether the operator had armed it. */
  readonly onDryRunResult: (outcome: TrialOutcome, armed: boolean) => void;
  /** The arm's own halt, for STOP (the abort signal also stops it, through the supervisor). */
  readonly onRobot: (halt: (reason: string) => void) => void;
  /** Where the arm's joint telemetry goes. */
  readonly telemetry?: NonNullable<TrialOptions['telemetry']>;
  /** After a rehearsal on a twin rebuilt from the camera that succeeded: the operator's answer (true moves the arm). */
  readonly approve: (rehearsal: TrialOutcome) => Promise<boolean>;
  /** A rehearsal twin is ready (what it was built from, how long it took). */
  readonly onRehearsal: (twin: { readonly description: string; readonly readyMs: number }) => void;
  /** An agent's events, when an agent writes the arm's programs. */
  readonly onAgentEvent: (event: AgentEvent) => void;
  /** The agent's last program that ran on the arm (its turn index), to keep in the run's record. */
  readonly onFinalProgram: (programSource: string | null, turnIndex: number) => void;
}

/** A program on a connected real arm: twin first, then the arm, supervised and armed by the operator. */
export interface RealArmJob {
  readonly kind: 'real';
  readonly robot: RealArm;
  readonly taskId: string;
  readonly agent: string;
  /** The API tier its program runs at (S1 without a camera). */
  readonly tier: TierSettings['id'];
  readonly program: ProgramText;
  run(hooks: RealArmHooks): Promise<TrialOutcome>;
}

/** Anything the console runs. */
export type RunJob = ProgramJob | AgentJob | RealArmJob;

/** The parsed `runs:start` request. */
export type RunStartValue = z.output<typeof RunStartRequest>;

/** What agent jobs need. */
export interface JobDeps {
  readonly store: RunStore;
  readonly createProvider: (name: string) => ModelProvider | Promise<ModelProvider>;
  /** Skills offered to agents and learned from their successes (as `caplab run`: learn). */
  readonly skillMode: SkillMode;
  /** Connected real arms (loaded on first use); absent where the console has none. */
  readonly devices?: () => Promise<DevicesService>;
  /** The operator's arming of real robots (the console's safety state), read live by each real-arm run. */
  readonly arming?: ArmingSource;
  /** The VLA policy servers of the settings, read when a job is made; none: `run_vla` is not offered. */
  readonly vlaServers?: () => readonly VlaServer[];
  /** A network camera's stream and calibration by name (camera runs on a real arm); throws not_found, not_available. */
  readonly cameras?: (name: string) => { readonly url: string; readonly calibration: CameraCalibration; readonly colours?: ColourBook | null };
}

/** A task by id; not_found when there is none. */
export function taskOrNotFound(taskId: string): TaskDefinition {
  try {
    return loadTask(taskId);
  } catch (error) {
    if (error instanceof CatalogError) throw new IpcError('not_found', error.message);
    throw error;
  }
}

/** The expert program of a task at a tier; not_found when there is none. */
export function expertOrNotFound(taskId: string, tier: TierSettings): ProgramText {
  return agentProgramOrNotFound('expert', taskId, tier);
}

/** A program agent's (expert, naive baseline) program of a task at a tier; not_found when there is none. */
function agentProgramOrNotFound(agent: ProgramAgent, taskId: string, tier: TierSettings): ProgramText {
  try {
    return readAgentProgram(agent, taskId, tier.id);
  } catch (error) {
    if (error instanceof CatalogError) throw new IpcError('not_found', error.message);
    throw error;
  }
}

/** The providers of `provider:model[,provider:model]` for an agent; invalid_request when one cannot be made. */
export async function modelsOrInvalid(agent: string, model: string | undefined, deps: Pick<JobDeps, 'createProvider'>): Promise<ModelProvider[]> {
  if (!model) throw new IpcError('invalid_request', `agent '${agent}' needs a model`, 'model: provider:model, e.g. openai:gpt-4.1 or ollama:qwen2.5-coder:7b');
  return Promise.all(
    model.split(',').map(async (name) => {
      try {
        return await deps.createProvider(name.trim());
      } catch (error) {
        throw new IpcError('invalid_request', `model ${name.trim()}: ${(error as Error).message}`, 'model: provider:model');
      }
    }),
  );
}

/** Decide what a `runs:start` request runs. */
export async function jobFromRequest(request: RunStartValue, deps: JobDeps): Promise<RunJob> {
  if (request.robot !== 'sim') return realArmJob(request, request.robot, deps);
  const task = taskOrNotFound(request.taskId);
  const tier = TIERS[request.tier];
  const base = { task, tier, seed: request.seed };
  if (isProgramAgent(request.agent) || request.agent === 'program') {
    if (request.instruction) throw new IpcError('invalid_request', `a free-text instruction is for model-driven agents, not '${request.agent}'`, 'agent: single-turn, multi-turn or agent0');
    const program =
      request.agent === 'program' ? { programSource: request.programSource!, programName: 'edited.py' } : agentProgramOrNotFound(request.agent as ProgramAgent, task.id, tier);
    return programJob({ ...base, agent: request.agent, program, vlaServers: deps.vlaServers?.() ?? [] });
  }
  const agent = request.agent as AgentKind;
  if (!AGENT_KINDS.includes(agent)) {
    throw new IpcError('invalid_request', `unknown agent '${request.agent}'`, `one of program, ${AGENT_KINDS.join(', ')}`);
  }
  const models = await modelsOrInvalid(agent, request.model, deps);
  const agentTask = request.instruction ? { ...task, instruction: request.instruction } : task;
  return {
    kind: 'agent',
    ...base,
    async run(hooks, agentHooks) {
      // Loaded on the first agent run: the console starts without the agents' modules.
      const { runAgent } = await import('../agents/service.ts');
      const result = await runAgent({
        agent: agent as ModelAgentKind,
        task: agentTask,
        tier,
        seed: request.seed,
        models,
        store: deps.store,
        skillMode: deps.skillMode,
        vlaServers: deps.vlaServers?.() ?? [],
        ...hooks,
        onPolicyEvent: hooks.onEvent,
        ...agentHooks,
      });
      return result.outcome;
    },
  };
}

/**
 * A real-arm run, checked before anything starts: the arm must be connected (in Devices), the
 * program is the arm's expert program for the task or the edited one (at S1); with a camera
 * (`camera-arm-job.ts`) also its camera programs and coding agents, each program rehearsed first.
 */
async function realArmJob(request: RunStartValue, robot: RealArm, deps: JobDeps): Promise<RealArmJob> {
  if (request.camera !== undefined) {
    if (!deps.devices) throw new IpcError('not_available', 'this console has no devices service: real arms are not available');
    const devices = await deps.devices();
    return cameraArmJob({ ...request, camera: request.camera }, devices, devices.armFor(robot, request.deviceId), deps);
  }
  if (request.agent !== 'expert' && request.agent !== 'program') {
    throw new IpcError('invalid_request', `agent '${request.agent}' on a real arm needs its calibrated camera (camera: a network camera's name): each program is rehearsed on a twin rebuilt from it`, 'camera');
  }
  if (request.instruction) throw new IpcError('invalid_request', 'a real arm runs a program, not a free-text instruction', 'agent: expert or program');
  if (!deps.devices) throw new IpcError('not_available', 'this console has no devices service: real arms are not available');
  const devices = await deps.devices();
  const id = devices.armFor(robot, request.deviceId);
  let program: ProgramText;
  try {
    program = request.agent === 'expert' ? consoleArmProgram(robot, request.taskId) : { programSource: request.programSource!, programName: 'edited.py' };
  } catch (error) {
    if (error instanceof CatalogError) throw new IpcError('not_found', error.message);
    throw error;
  }
  const arming = deps.arming ?? fixedArming(false);
  return {
    kind: 'real',
    robot,
    taskId: request.taskId,
    agent: request.agent,
    tier: 'S1',
    program,
    run: ({ signal, onEvent, onDryRunResult, onRobot, telemetry }) => {
      const { backend } = devices.robot(id);
      // A new run clears an earlier STOP's latch on the arm, as it clears the console's.
      backend.resume();
      onRobot((reason) => backend.halt(reason));
      const vlaServers = deps.vlaServers?.() ?? [];
      return devices.run(id, { taskId: request.taskId, ...program, arming, signal, onEvent, vlaServers, onDryRunResult: (twin) => onDryRunResult(twin, arming.isArmed()), ...(telemetry ? { telemetry } : {}) });
    },
  };
}

/** A real arm's expert program as the console runs it: at S1 (camera programs are `caplab run --camera`'s). */
function consoleArmProgram(robot: RealArm, taskId: string): ProgramText {
  const { programSource, programName, tier } = readRealArmProgram(robot, taskId);
  if (tier !== 'S1') {
    throw new IpcError('invalid_request', `the ${robot} program for ${taskId} is written for tier ${tier} (a calibrated camera); the console runs real arms at S1: use caplab run --robot ${robot} --camera URL --camera-calibration FILE`);
  }
  return { programSource, programName };
}

/** A fixed program run as a supervised trial (its `run_vla` with the servers given). */
export function programJob(options: JobBase & { agent: string; program: ProgramText; vlaServers?: readonly VlaServer[] }): ProgramJob {
  const { vlaServers = [], ...job } = options;
  return {
    kind: 'program',
    ...job,
    run: (hooks) => runTrial({ task: options.task, tier: options.tier, seed: options.seed, ...options.program, ...hooks, vlaServers }),
  };
}

/** A skill's example call on its task at a fresh seed, recorded as a test trial of the skill. */
export function skillTestJob(skills: SkillStore, name: string, seed: number): ProgramJob {
  const skill = skills.get(name);
  if (!skill) throw new IpcError('not_found', `no skill named ${name}`);
  if (!skill.task) throw new IpcError('not_available', `skill ${name} has no task to test it on`);
  const task = taskOrNotFound(skill.task);
  // Skills are learned by agents at perception tiers; S2 is the high-level API seen through the cameras.
  const tier = TIERS.S2;
  return {
    kind: 'program',
    task,
    tier,
    seed,
    agent: 'skill',
    program: { programSource: `${skill.example}\n`, programName: `${skill.name}-example.py` },
    run: async ({ backend, signal, ...observe }) => {
      const { trySkill } = await import('../agents/skills.ts');
      return trySkill({ store: skills, name, task, tier, backend, seed, purpose: 'test', signal, observe });
    },
  };
}

/** The outcome of a run that could not go on (the simulator failed, the store failed). */
export function failedOutcome(taskId: string, seed: number, reason: string): TrialOutcome {
  return {
    taskId,
    seed,
    status: 'error',
    success: false,
    reason,
    wallSeconds: 0,
    robotSeconds: 0,
    policy: { status: 'crashed', reason, exception: null, stdout: '', stderr: '', terminal: '', wallMs: 0, exitCode: null, signal: null },
  };
}
