/**
 * `caplab run --robot so101 --camera URL --camera-calibration FILE --agent single-turn|multi-turn|agent0
 * --model M --armed`: a coding agent writes each program for the arm (agent0: from candidates, each
 * rehearsed on a twin with `--rehearse`, and a synthesis); each program is rehearsed on a twin
 * rebuilt from the camera, approved by the operator (`--approve`, or asked on the terminal), and
 * run on the arm through the safety supervisor; the episode is camera-judged
 * (`services/agents/arm-episode.ts`). Recorded in the store with its turns, as agent runs on the
 * simulator are; `--armed` and Ctrl-C go in the safety log.
 */
import { EstopInput } from '../../native/drivers/estop-input.ts';
import { programOnArm, runArmAgent, type ArmAgentOptions } from '../services/agents/arm-episode.ts';
import { withCameraPerception } from '../services/robots/camera-perception.ts';
import type { RealRobot } from '../services/robots/real-robot.ts';
import { fixedArming } from '../services/supervision/arming.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { type AgentCliOptions, describeAgent, parseAgentSettings, turnPrinter } from './agent-run.ts';
import { type CliIo, parseTier, UsageError } from './args.ts';
import { type ArmCameraOptions, openArmCamera, taughtLines } from './arm-camera.ts';
import { approveRehearsal, connectArm, type RealArmOptions } from './real-arm.ts';
import { type RecordedRun, startRecordedRun } from './recorded-run.ts';

/** The options of an agent run on a real arm. */
export interface ArmAgentRunOptions extends AgentCliOptions, ArmCameraOptions, RealArmOptions {
  tier?: string;
  'estop-port'?: string;
  quiet?: boolean;
  json?: string;
  db?: string;
}

/** Run the agent on the arm; resolves to the exit code (as `caplab run`'s). */
export async function armAgentRunCommand(robotName: string, twin: 'physics' | 'emulator', options: ArmAgentRunOptions, io: CliIo): Promise<number> {
  const settings = parseAgentSettings(options, 'off');
  if (options.skills && options.skills !== 'off') throw new UsageError('--skills is for agents on the simulator (a skill is promoted on fresh simulated seeds)');
  const agent = settings.agent as ArmAgentOptions['agent'];
  const tier = parseTier(options.tier ?? (agent === 'single-turn' ? 'S3' : 'M4'));
  const task = loadTask(options.task!);
  const camera = (await openArmCamera(robotName, tier, options))!;
  const model = settings.models.map((m) => m.name).join(',');
  io.out.write(`caplab run · ${robotName} at ${options.port ?? options.host} · task ${task.id} · tier ${tier.id} · ${describeAgent(settings)} · armed\n`);
  io.out.write(`instruction: ${task.instruction}\ncamera ${options.camera} (${camera.eyes.calibrationName}): each program is rehearsed on a twin rebuilt from it; the outcome is camera-judged\n${taughtLines(camera.eyes)}`);
  let arm: RealRobot;
  try {
    arm = await connectArm(robotName, options);
  } catch (error) {
    camera.eyes.dispose();
    throw error;
  }
  const robot = withCameraPerception(arm, camera.eyes, twin === 'physics' ? { task } : undefined);
  const printer = turnPrinter(io.out, options.quiet === true);
  const run = startRecordedRun(
    { robot: robotName, task: task.id, tier: tier.id, agent, seed: 0, programName: 'turn-1.py', programSource: '', model },
    { db: options.db, json: options.json, armedBy: `caplab run --robot ${robotName} --armed --agent ${agent}`, print: printer.onPolicyEvent },
    io,
  );
  const estopPort = options['estop-port'];
  let estopInput: EstopInput | undefined;
  try {
    estopInput = estopPort ? await EstopInput.open(estopPort) : undefined;
    if (estopInput) io.out.write(`hardware e-stop on ${estopPort}\n`);
    const result = await runArmAgent({
      agent,
      robot,
      task,
      predicate: camera.task.success,
      tier,
      models: settings.models,
      maxTurns: settings.maxTurns,
      candidates: settings.candidates,
      rehearseCandidates: settings.rehearse,
      arming: fixedArming(true),
      ...(estopInput ? { estopInput } : {}),
      onRehearsal: (rehearsal) => io.out.write(`── rehearsal on ${rehearsal.description} (ready in ${Math.round(rehearsal.readyMs)} ms)\n`),
      onDryRunResult: (dry) => io.out.write(`── twin: ${dry.status}: ${dry.reason}\n`),
      approve: () => approveRehearsal(options, io, run.signal, run.safety),
      ...episodeHooks(run, printer),
    });
    const { outcome, turns } = result;
    const ran = programOnArm(result);
    return run.finish({ outcome, turns, program: ran ? { name: `turn-${ran.index + 1}.py`, source: ran.source } : undefined, timing: `${outcome.wallSeconds.toFixed(2)} s wall` });
  } finally {
    run.close();
    await estopInput?.close();
    await robot.backend.dispose();
    camera.eyes.dispose();
  }
}

/** The episode's turns and the arm's policy events into the run's record and onto the terminal; Ctrl-C stops it. */
function episodeHooks(run: RecordedRun, printer: ReturnType<typeof turnPrinter>): Pick<ArmAgentOptions, 'signal' | 'telemetry' | 'onAgentEvent' | 'onPolicyEvent'> {
  return {
    signal: run.signal,
    telemetry: run.telemetry,
    onAgentEvent: (event) => {
      if (event.kind === 'turn') run.logTurn(event.turn);
      printer.onAgentEvent(event);
    },
    onPolicyEvent: run.onEvent,
  };
}
