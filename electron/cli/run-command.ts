/**
 * `caplab run`: one trial with a live line trace. Exit codes (DESIGN.md): 0 success, 1 task not
 * achieved, 2 policy error, timeout or stop; the reason is on the last line.
 */
import type { TierId } from '../../shared/api/tiers.ts';
import { SimBackend } from '../../native/sim/sim-backend.ts';
import { isProgramAgent, type ProgramAgent } from '../../shared/agent.ts';
import { CatalogError, loadTask, readAgentProgram, readRealArmProgram, type ProgramText, type RealArm } from '../services/trials/catalog.ts';
import { EstopInput } from '../../native/drivers/estop-input.ts';
import { runOnRobot, type CameraJudge } from '../services/robots/dry-run.ts';
import type { RealRobot } from '../services/robots/real-robot.ts';
import { withCameraPerception } from '../services/robots/camera-perception.ts';
import { openArmCamera, taughtLines } from './arm-camera.ts';
import { fixedArming } from '../services/supervision/arming.ts';
import { runTrial } from '../services/trials/trial.ts';
import { type CliIo, UsageError, parseSeed, parseTier, programFile } from './args.ts';
import { agentRunCommand, type AgentCliOptions } from './agent-run.ts';
import { armAgentRunCommand } from './arm-agent-run.ts';
import { approveRehearsal, connectArm } from './real-arm.ts';
import { type RecordedRunOptions, startRecordedRun } from './recorded-run.ts';
import { createTracePrinter } from './trace-printer.ts';
import { openVlaOption } from './vla-option.ts';
import { announceSandbox, requireSandboxForRealArm } from './sandbox-notice.ts';

/** Parsed `run` options. */
export interface RunCommandOptions extends AgentCliOptions {
  task?: string;
  program?: string;
  seed?: string;
  tier?: string;
  robot?: string;
  port?: string;
  host?: string;
  'ur-ports'?: string;
  'estop-port'?: string;
  calibration?: string;
  /** A real arm's camera: its MJPEG stream, and its calibration file (intrinsics and cameraInBase). */
  camera?: string;
  'camera-calibration'?: string;
  /** Colours taught on that camera (a colour book). */
  colours?: string;
  /** A camera run's dry run: `physics` (a twin rebuilt from the camera) or `emulator`. */
  twin?: string;
  /** Move the real arm after a successful rehearsal without asking. */
  approve?: boolean;
  armed?: boolean;
  /** Arm a real arm although no policy sandbox is available. */
  unsandboxed?: boolean;
  quiet?: boolean;
  json?: string;
  db?: string;
  vla?: string;
}

/** Execute `caplab run`; resolves to the exit code. */
export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  if (!options.task) throw new UsageError('run needs --task T (e.g. --task cube-lift)');
  announceSandbox(io);
  if (options.robot === 'so101' || options.robot === 'omx' || options.robot === 'ur5e') return runReal(options, io);
  if (options.robot && options.robot !== 'sim') {
    throw new UsageError(`--robot ${options.robot}: expected sim, so101, omx or ur5e`);
  }
  if (!options.program && !options.agent) throw new UsageError('run needs --agent expert or --program FILE.py');
  if (options.program && options.agent) throw new UsageError('give either --agent or --program, not both');
  if (options.agent && !isProgramAgent(options.agent)) return agentRunCommand(options, io);
  if (options.model) throw new UsageError('--model is for model-driven agents (--agent single-turn|multi-turn|agent0)');
  const task = loadTask(options.task);
  const tier = parseTier(options.tier);
  const seed = parseSeed(options.seed);
  const { programSource, programName } = options.program ? programFile(options.program) : readAgentProgram(options.agent as ProgramAgent, task.id, tier.id);
  io.out.write(`caplab run · task ${task.id} · seed ${seed} · tier ${tier.id} · program ${programName}\n`);
  io.out.write(`instruction: ${task.instruction}\n`);
  const vla = await openVlaOption(options.vla, io);
  const run = startRecordedRun({ robot: 'sim', task: task.id, tier: tier.id, agent: options.agent ?? 'program', seed, programName, programSource }, recording(options, programSource, io), io);
  let backend: SimBackend | undefined;
  try {
    backend = await SimBackend.start(task);
    const outcome = await runTrial({ task, seed, programSource, programName, tier, backend, signal: run.signal, onEvent: run.onEvent, vlaServers: vla.servers, telemetry: run.telemetry });
    return run.finish({ outcome, timing: `${outcome.wallSeconds.toFixed(2)} s wall, ${outcome.robotSeconds.toFixed(2)} s robot time` });
  } finally {
    await backend?.dispose();
    run.close();
    await vla.close();
  }
}

/** `run --robot so101|omx|ur5e`: a program on a real (or emulated) arm, twin first, supervised. */
async function runReal(options: RunCommandOptions, io: CliIo): Promise<number> {
  const robotName = options.robot!;
  const twin = checkRealRunOptions(robotName, options);
  if (options.agent && !isProgramAgent(options.agent)) return armAgentRunCommand(robotName, twin, options, io);
  const { programSource, programName, tier: programTier } = realArmProgram(robotName as RealArm, options);
  const where = robotName === 'ur5e' ? options.host! : options.port!;
  const tier = parseTier(options.tier ?? programTier);
  if (!options.program && programTier !== tier.id) {
    throw new UsageError(`the ${robotName} expert for ${options.task} is written for tier ${programTier}${programTier === 'S1' ? '' : ' (a calibrated camera: --camera URL --camera-calibration FILE)'}; run it with --tier ${programTier}`);
  }
  // The camera first: a camera that cannot be used stops the run before the arm is connected.
  const camera = await openArmCamera(robotName, tier, options);
  io.out.write(`caplab run · ${robotName} at ${where} · task ${options.task} · tier ${tier.id} · program ${programName} · armed\n`);
  if (camera) io.out.write(`camera ${options.camera} (${camera.eyes.calibrationName}): perception from its images; the outcome is camera-judged\n${taughtLines(camera.eyes)}`);
  let arm: RealRobot;
  try {
    arm = await connectArm(robotName, options);
  } catch (error) {
    camera?.eyes.dispose();
    throw error;
  }
  const seeing = camera ? withCameraPerception(arm, camera.eyes, twin === 'physics' ? { task: loadTask(options.task!) } : undefined) : null;
  const seeingRehearsal = seeing !== null && twin === 'physics';
  const robot = seeing ?? arm;
  const cameraJudge: CameraJudge | undefined = seeing && camera ? { predicate: camera.task.success, view: () => seeing.view() } : undefined;
  const vla = await openVlaOption(options.vla, io);
  // On a real arm `--armed` is the operator's arming and Ctrl-C the e-stop: both in the safety log.
  const run = startRecordedRun(
    { robot: robotName, task: options.task!, tier: tier.id, agent: options.agent ?? 'program', seed: 0, programName, programSource },
    { ...recording(options, programSource, io), armedBy: `caplab run --robot ${robotName} --armed` },
    io,
  );
  const estopPort = options['estop-port'];
  let estopInput: EstopInput | undefined;
  try {
    estopInput = estopPort ? await EstopInput.open(estopPort) : undefined;
    if (estopInput) io.out.write(`hardware e-stop on ${estopPort}\n`);
    const outcome = await runOnRobot(robot, {
      ...(estopInput ? { estopInput } : {}),
      taskId: options.task!,
      tier,
      ...(cameraJudge ? { cameraJudge } : {}),
      programSource,
      programName,
      arming: fixedArming(true),
      signal: run.signal,
      onRehearsal: (rehearsal) => io.out.write(`rehearsal on ${rehearsal.description} (ready in ${Math.round(rehearsal.readyMs)} ms)\n`),
      onDryRunResult: (dry) => io.out.write(`twin: ${dry.status}: ${dry.reason}\n${dry.status === 'completed' && !seeingRehearsal ? 'now on the real arm\n' : ''}`),
      approve: () => approveRehearsal(options, io, run.signal, run.safety),
      onEvent: run.onEvent,
      vlaServers: vla.servers,
      telemetry: run.telemetry,
    });
    return run.finish({ outcome, timing: `${outcome.wallSeconds.toFixed(2)} s wall` });
  } finally {
    await estopInput?.close();
    await robot.backend.dispose();
    camera?.eyes.dispose();
    run.close();
    await vla.close();
  }
}

/** Where a program's run is recorded, and its trace printed unless `--quiet`. */
function recording(options: RunCommandOptions, programSource: string, io: CliIo): RecordedRunOptions {
  return { db: options.db, json: options.json, print: options.quiet ? undefined : createTracePrinter(programSource, io.out) };
}

/** A real-arm run's options checked before anything is opened; the kind of dry run (`--twin`). */
function checkRealRunOptions(robotName: string, options: RunCommandOptions): 'physics' | 'emulator' {
  if (robotName !== 'ur5e' && !options.port) throw new UsageError(`--robot ${robotName} needs --port DEVICE (the arm's serial port, e.g. /dev/ttyACM0)`);
  if (robotName === 'omx' && options.calibration) throw new UsageError('--calibration is for the SO-101; the OpenMANIPULATOR-X uses its servos\' own zero (position 2048)');
  if (robotName === 'ur5e' && !options.host) throw new UsageError('--robot ur5e needs --host ADDRESS (the controller, e.g. 192.168.1.10)');
  if (!options.program && !options.agent) throw new UsageError('run needs --agent expert or --program FILE.py');
  if (options.program && options.agent) throw new UsageError('give either --agent or --program, not both');
  if (options.agent && !isProgramAgent(options.agent) && (!options.camera || options.twin === 'emulator')) {
    throw new UsageError(`--agent ${options.agent} on a real arm needs its calibrated camera (--camera URL --camera-calibration FILE) and the physics twin: each program is rehearsed on a twin rebuilt from the camera, and the outcome is camera-judged`);
  }
  if (options.agent && isProgramAgent(options.agent) && options.agent !== 'expert') throw new UsageError(`--agent ${options.agent}: on a real arm, expected expert, single-turn, multi-turn or agent0`);
  const twin = options.twin ?? 'physics';
  if (twin !== 'physics' && twin !== 'emulator') throw new UsageError(`--twin ${twin}: expected physics or emulator`);
  if (!options.armed) {
    throw new UsageError(`--robot ${robotName} moves a real arm: add --armed to confirm it may move (Ctrl-C is the e-stop)`);
  }
  requireSandboxForRealArm(robotName, options.unsandboxed);
  return twin;
}

/** The program a real-arm run gets: `--program FILE` (at `--tier`), or the arm's expert program for `--task` (at its own tier). */
function realArmProgram(arm: RealArm, options: RunCommandOptions): ProgramText & { tier: TierId } {
  if (options.program) return { ...programFile(options.program), tier: parseTier(options.tier).id };
  try {
    return readRealArmProgram(arm, options.task!);
  } catch (error) {
    if (error instanceof CatalogError) throw new UsageError(error.message);
    throw error;
  }
}
