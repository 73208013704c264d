/**
 * `caplab run --robot so101 --camera URL --camera-calibration FILE --agent single-turn|multi-turn
 * --model M --armed`: a coding agent writes each program for the arm; each is rehearsed on a twin
 * rebuilt from the camera, approved by the operator (`--approve`, or asked on the terminal), and
 * run on the arm through the safety supervisor; the episode is camera-judged
 * (`services/agents/arm-episode.ts`). Recorded in the store with its turns, as agent runs on the
 * simulator are; `--armed` and Ctrl-C go in the safety log.
 */
import { writeFileSync } from 'node:fs';
import type { TierSettings } from '../../shared/api/tiers.ts';
import { exitCodeForTrial } from '../../shared/run.ts';
import { EstopInput } from '../../native/drivers/estop-input.ts';
import { runArmAgent, type ArmAgentOptions } from '../services/agents/arm-episode.ts';
import type { AgentTrialResult } from '../services/agents/episode.ts';
import { withCameraPerception } from '../services/robots/camera-perception.ts';
import type { RealRobot } from '../services/robots/real-robot.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { isStoreFull } from '../services/storage/store-errors.ts';
import { TelemetryStore } from '../services/storage/telemetry-store.ts';
import { fixedArming } from '../services/supervision/arming.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { type AgentCliOptions, parseAgentSettings, turnPrinter } from './agent-run.ts';
import { type CliIo, parseTier, UsageError } from './args.ts';
import { type ArmCameraOptions, openArmCamera } from './arm-camera.ts';
import { approveRehearsal, connectArm, logQuietly, type RealArmOptions } from './real-arm.ts';

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
  io.out.write(`caplab run · ${robotName} at ${options.port ?? options.host} · task ${task.id} · tier ${tier.id} · agent ${agent} · model ${model} · armed\n`);
  io.out.write(`instruction: ${task.instruction}\ncamera ${options.camera} (${camera.eyes.calibrationName}): each program is rehearsed on a twin rebuilt from it; the outcome is camera-judged\n`);
  let arm: RealRobot;
  try {
    arm = await connectArm(robotName, options);
  } catch (error) {
    camera.eyes.dispose();
    throw error;
  }
  const robot = withCameraPerception(arm, camera.eyes, twin === 'physics' ? { task } : undefined);
  const recorded = recordedEpisode(robotName, agent, tier, task.id, model, options, io);
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
      arming: fixedArming(true),
      ...(estopInput ? { estopInput } : {}),
      onRehearsal: (rehearsal) => io.out.write(`── rehearsal on ${rehearsal.description} (ready in ${Math.round(rehearsal.readyMs)} ms)\n`),
      onDryRunResult: (dry) => io.out.write(`── twin: ${dry.status}: ${dry.reason}\n`),
      approve: () => approveRehearsal(options, io, recorded.hooks.signal, recorded.safety),
      ...recorded.hooks,
    });
    return recorded.finish(result);
  } finally {
    recorded.close();
    await estopInput?.close();
    await robot.backend.dispose();
    camera.eyes.dispose();
  }
}

/** An agent episode on the arm kept in the store as it goes, printed turn by turn; Ctrl-C stops it. */
function recordedEpisode(robotName: string, agent: string, tier: TierSettings, taskId: string, model: string, options: ArmAgentRunOptions, io: CliIo) {
  const store = RunStore.open(options.db);
  const record = store.startRun({ robot: robotName, task: taskId, tier: tier.id, agent, seed: 0, programName: 'turn-1.py', programSource: '', model });
  store.safetyLog.append('arm', `caplab run --robot ${robotName} --armed --agent ${agent} (run ${record.id})`, 'cli');
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (!controller.signal.aborted) logQuietly(() => store.safetyLog.append('stop', `Ctrl-C (run ${record.id})`, 'cli'));
    controller.abort();
  };
  io.onInterrupt(onInterrupt);
  const printer = turnPrinter(io.out, options.quiet === true);
  const hooks: Pick<ArmAgentOptions, 'signal' | 'telemetry' | 'onAgentEvent' | 'onPolicyEvent'> & { signal: AbortSignal } = {
    signal: controller.signal,
    telemetry: { runId: record.id, sink: new TelemetryStore(store.database) },
    onAgentEvent: (event) => {
      if (event.kind === 'turn') store.logTurn(record.id, event.turn);
      printer.onAgentEvent(event);
    },
    onPolicyEvent: (event) => {
      record.log(event);
      printer.onPolicyEvent(event);
    },
  };
  return {
    hooks,
    /** Keep an operator's answer in the safety log. */
    safety: (action: 'approve' | 'decline', reason: string): void => logQuietly(() => store.safetyLog.append(action, `${reason} (run ${record.id})`, 'cli')),
    /** Save the episode's end and print it; the exit code. */
    finish({ outcome, turns, finalProgram }: AgentTrialResult): number {
      const lastTurn = turns.filter((t) => t.code).at(-1);
      try {
        if (finalProgram) store.setProgram(record.id, `turn-${(lastTurn?.index ?? 0) + 1}.py`, finalProgram);
        store.finishRun(record.id, outcome);
        const tokens = turns.reduce((sum, t) => sum + t.usage.inputTokens + t.usage.outputTokens, 0);
        io.out.write(`run ${record.id} saved in ${store.path} (${turns.length} turns, ${tokens} tokens)\n`);
      } catch (error) {
        if (!isStoreFull(error)) throw error;
        io.out.write(`run ${record.id}: its end is not saved: ${error.message}\n`);
      }
      if (options.json) writeFileSync(options.json, `${JSON.stringify({ outcome, turns }, null, 2)}\n`);
      io.out.write(`${outcome.wallSeconds.toFixed(2)} s wall\n${outcome.status}: ${outcome.reason}\n`);
      return exitCodeForTrial(outcome.status);
    },
    close(): void {
      io.offInterrupt(onInterrupt);
      try {
        store.close();
      } catch (error) {
        // A full store could not take the last batch; the run's end said so already.
        if (!isStoreFull(error)) throw error;
      }
    },
  };
}
