/**
 * A console run on a connected SO-101 with its calibrated camera (a network camera of the
 * console): the perception tiers' calls answer from the camera, each program is rehearsed on a
 * twin rebuilt from what the camera sees, the arm moves only after the operator approves
 * (`runs:approve`), and the outcome is camera-judged — as `caplab run --robot so101 --camera`
 * does. The program is the arm's camera expert program, an edited one, or one a coding agent
 * (single-turn, multi-turn, agent0) writes turn by turn (`agents/arm-episode.ts`). The request is checked
 * before anything starts; the camera is opened when the run starts, and a camera that cannot be
 * used ends the run with its reason before the arm is touched.
 */
import { TIERS, type TierSettings } from '../../../shared/api/tiers.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import type { TrialOutcome } from '../../../shared/run.ts';
import { CameraEyes, CameraSetupError } from '../../../native/perception/camera-eyes.ts';
import { benchTask } from '../../../native/rig/bench-scene.ts';
import { SO101_BENCH } from '../../../native/rig/so101-bench.ts';
import { programOnArm, runArmAgent, type ArmAgentOptions } from '../agents/arm-episode.ts';
import { withCameraPerception } from '../robots/camera-perception.ts';
import type { DevicesService } from '../robots/devices.ts';
import { runOnRobot } from '../robots/dry-run.ts';
import { fixedArming } from '../supervision/arming.ts';
import { CatalogError, readRealArmProgram, type ProgramText } from '../trials/catalog.ts';
import { failedOutcome, modelsOrInvalid, taskOrNotFound, type JobDeps, type RealArmJob, type RunStartValue } from './run-jobs.ts';

/** What the program is: fixed (expert, edited) or written by an agent. */
type Writer = { readonly kind: 'program'; readonly program: ProgramText } | { readonly kind: 'agent'; readonly agent: ArmAgentOptions['agent']; readonly models: readonly ModelProvider[] };

/** The job of a camera run on connected arm `id`; invalid_request, not_found, not_available before anything starts. */
export async function cameraArmJob(request: RunStartValue & { camera: string }, devices: DevicesService, id: string, deps: JobDeps): Promise<RealArmJob> {
  if (request.robot !== 'so101') throw new IpcError('invalid_request', `camera runs are built for the SO-101's bench; not for the ${request.robot} yet`, 'robot: so101');
  if (!deps.cameras) throw new IpcError('not_available', 'this console has no network cameras: camera runs are not available');
  const source = deps.cameras(request.camera);
  const task = taskOrNotFound(request.taskId);
  const bench = benchTask(task, SO101_BENCH.sizing);
  const { writer, tier } = await writerOf(request, deps);
  const arming = deps.arming ?? fixedArming(false);
  return {
    kind: 'real',
    robot: 'so101',
    taskId: task.id,
    agent: request.agent,
    tier: tier.id,
    program: writer.kind === 'program' ? writer.program : { programSource: '', programName: 'turn-1.py' },
    run: async (hooks) => {
      let eyes: CameraEyes;
      try {
        eyes = await CameraEyes.open({ url: source.url, calibration: source.calibration, objects: bench.objects, colours: source.colours ?? null });
      } catch (error) {
        if (!(error instanceof CameraSetupError)) throw error;
        return failedOutcome(task.id, 0, `camera '${request.camera}': ${error.message}; the arm was not moved`);
      }
      try {
        return await devices.use(id, async (arm): Promise<TrialOutcome> => {
          // A new run clears an earlier STOP's latch on the arm, as it clears the console's.
          arm.backend.resume();
          hooks.onRobot((reason) => arm.backend.halt(reason));
          const robot = withCameraPerception(arm, eyes, { task });
          const shared = {
            arming,
            signal: hooks.signal,
            approve: hooks.approve,
            onRehearsal: hooks.onRehearsal,
            onDryRunResult: (twin: TrialOutcome) => hooks.onDryRunResult(twin, arming.isArmed()),
            vlaServers: deps.vlaServers?.() ?? [],
            ...(hooks.telemetry ? { telemetry: hooks.telemetry } : {}),
          };
          if (writer.kind === 'agent') {
            const result = await runArmAgent({ ...shared, agent: writer.agent, robot, task, predicate: bench.success, tier, models: writer.models, onPolicyEvent: hooks.onEvent, onAgentEvent: hooks.onAgentEvent });
            const ran = programOnArm(result);
            hooks.onFinalProgram(ran?.source ?? null, ran?.index ?? 0);
            return result.outcome;
          }
          return runOnRobot(robot, { ...shared, taskId: task.id, tier, ...writer.program, onEvent: hooks.onEvent, cameraJudge: { predicate: bench.success, view: () => robot.view() } });
        });
      } finally {
        eyes.dispose();
      }
    },
  };
}

/** Who writes the program, and at which tier (a perception tier: the camera answers its calls). */
async function writerOf(request: RunStartValue, deps: JobDeps): Promise<{ writer: Writer; tier: TierSettings }> {
  const perceptionTier = (): TierSettings => {
    const tier = TIERS[request.tier];
    if (tier.grounding !== 'perception') throw new IpcError('invalid_request', `tier ${tier.id} has no camera calls: a camera run needs a perception tier (S2–S4, M1–M4)`, 'tier');
    return tier;
  };
  if (request.agent === 'expert') {
    try {
      const { tier, ...program } = readRealArmProgram('so101', request.taskId);
      if (TIERS[tier].grounding !== 'perception') throw new IpcError('invalid_request', `the so101 expert for ${request.taskId} is written for tier ${tier}, without a camera: run it without one`, 'camera');
      return { writer: { kind: 'program', program }, tier: TIERS[tier] };
    } catch (error) {
      if (error instanceof CatalogError) throw new IpcError('not_found', error.message);
      throw error;
    }
  }
  if (request.agent === 'program') return { writer: { kind: 'program', program: { programSource: request.programSource!, programName: 'edited.py' } }, tier: perceptionTier() };
  if (request.agent === 'single-turn' || request.agent === 'multi-turn' || request.agent === 'agent0') {
    return { writer: { kind: 'agent', agent: request.agent, models: await modelsOrInvalid(request.agent, request.model, deps) }, tier: perceptionTier() };
  }
  throw new IpcError('invalid_request', `agent '${request.agent}' does not run on a connected arm: expert, program, single-turn, multi-turn or agent0`, 'agent');
}
