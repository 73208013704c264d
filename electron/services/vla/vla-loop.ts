/**
 * `run_vla`'s control loop, above the safety supervisor: observe, ask the server for a chunk,
 * check the chunk (`readActionChunk`), then apply its actions one control period each as
 * supervised `stream_joints` calls (the supervisor clips what breaks a limit), until the robot
 * time is up, the server says done, or a safety stop halts the arm. The e-stop lands within one
 * control step: the backend's halt stops the step in progress, which then fails with
 * `safety_stop`, and the loop ends there. A server that stalls or answers garbage fails the call
 * (PolicyServerTimeout, PolicyServerError) between steps, with the arm holding its last target.
 */
import type { ArgsOf } from '../../../shared/api/calls.ts';
import type { VlaStopReason } from '../../../shared/api/spec-vla.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import { readActionChunk, type ActionChunk } from '../../../shared/vla/chunk.ts';
import { settingsFor, type VlaSettings } from '../../../shared/vla/metadata.ts';
import type { VlaConnection } from '../../../native/vla/client.ts';
import type { HostCallContext } from '../supervision/host-calls.ts';
import { checkCameras, observe, type RobotReading } from './observation.ts';

/** How a `run_vla` call ended, as Python gets it. */
export interface VlaOutcome {
  readonly stop_reason: VlaStopReason;
  readonly steps: number;
  readonly chunks: number;
  readonly robot_time_s: number;
  readonly clipped: number;
  readonly server: string;
  /**
   * Steps per wall-clock second while a chunk's actions were applied, from the end of its first
   * step to the end of its last (how a chunk's first action starts is part of its latency).
   */
  readonly control_hz: number;
  /** Each chunk's round trip, ms (for `caplab perf`). */
  readonly round_trips_ms: readonly number[];
  /** Why the safety stop came, when it did. */
  readonly safety_reason?: string;
}

/** What one call counts as it goes. */
interface Progress {
  steps: number;
  chunks: number;
  clipped: number;
  /** Wall time from the end of each chunk's first step to the end of its last, and the steps in it. */
  applyMs: number;
  appliedSteps: number;
  roundTripsMs: number[];
  /** The last joint target sent (joint-velocity actions integrate from it). */
  targetRad: readonly number[];
  nowS: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Run one `run_vla` call on an open connection; the caller closes it. */
export async function runVlaLoop(args: ArgsOf<'run_vla'>, server: VlaServer, connection: VlaConnection, context: HostCallContext): Promise<VlaOutcome> {
  const { instruction, seconds, arm } = args;
  const settings = settingsFor(server, connection.metadata);
  checkCameras(server, context, arm);
  let reading = await observe(server, settings, context, arm, instruction);
  const startS = reading.timeS;
  const progress: Progress = { steps: 0, chunks: 0, clipped: 0, applyMs: 0, appliedSteps: 0, roundTripsMs: [], targetRad: reading.qRad, nowS: startS };
  let stop: VlaStopReason = 'time_up';
  let safetyReason: string | undefined;
  while (progress.nowS - startS < seconds - 0.5 / settings.controlHz) {
    const chunk = await askForChunk(server, connection, context, reading, progress, arm);
    try {
      await applyChunk(chunk, settings, context, progress, arm, startS + seconds);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'safety_stop') throw error;
      [stop, safetyReason] = ['safety_stop', error.message];
      break;
    }
    if (chunk.done) {
      stop = 'done';
      break;
    }
    if (progress.nowS - startS < seconds - 0.5 / settings.controlHz) reading = await observe(server, settings, context, arm, instruction);
  }
  return {
    stop_reason: stop,
    steps: progress.steps,
    chunks: progress.chunks,
    robot_time_s: round(progress.nowS - startS, 4),
    clipped: progress.clipped,
    server: server.name,
    control_hz: progress.applyMs > 0 ? round((progress.appliedSteps * 1000) / progress.applyMs, 1) : 0,
    round_trips_ms: progress.roundTripsMs.map((ms) => round(ms, 2)),
    ...(safetyReason ? { safety_reason: safetyReason } : {}),
  };
}

/** Send the observation, check the reply, log the chunk (with where it ends, for the twin's ghost). */
async function askForChunk(server: VlaServer, connection: VlaConnection, context: HostCallContext, reading: RobotReading, progress: Progress, arm: string): Promise<ActionChunk> {
  const sentMs = performance.now();
  const reply = await connection.infer(reading.observation);
  const roundTripMs = performance.now() - sentMs;
  const chunk = readActionChunk(reply, { width: context.backend.armJointCount + 1, server: server.name });
  progress.chunks += 1;
  progress.roundTripsMs.push(roundTripMs);
  const settings = settingsFor(server, connection.metadata);
  const applied = Math.min(chunk.actions.length, settings.actionsPerChunk ?? chunk.actions.length);
  const last = jointTargets(chunk.actions.slice(0, applied), settings, reading.qRad).at(-1)!;
  const pose = context.backend.kinematics?.gripperPose(last, arm);
  context.emit({
    kind: 'vla-chunk',
    server: server.name,
    arm,
    chunk: progress.chunks,
    actions: chunk.actions.length,
    applied,
    roundTripMs: round(roundTripMs, 2),
    endPose: pose ? { positionM: pose.positionM, quatWxyz: pose.quatWxyz } : null,
    done: chunk.done,
  });
  return chunk;
}

/** The joint targets of actions: absolute, or joint velocities integrated from `fromRad`. */
function jointTargets(actions: readonly (readonly number[])[], settings: VlaSettings, fromRad: readonly number[]): number[][] {
  const periodS = 1 / settings.controlHz;
  let previous = fromRad;
  return actions.map((action) => {
    const joints = action.slice(0, fromRad.length);
    previous = settings.actionSpace === 'joint_position' ? joints : previous.map((q, i) => q + joints[i]! * periodS);
    return [...previous];
  });
}

/** Apply the chunk's actions, one control period each, through the supervisor; stop at `untilS` robot time. */
async function applyChunk(chunk: ActionChunk, settings: VlaSettings, context: HostCallContext, progress: Progress, arm: string, untilS: number): Promise<void> {
  const periodS = 1 / settings.controlHz;
  const actions = chunk.actions.slice(0, settings.actionsPerChunk ?? chunk.actions.length);
  const targets = jointTargets(actions, settings, progress.targetRad);
  let firstDoneMs: number | null = null;
  for (let k = 0; k < actions.length && progress.nowS < untilS - 0.5 * periodS; k += 1) {
    const gripper = Math.min(1, Math.max(0, actions[k]!.at(-1)!)); // 0 open … 1 closed, as DROID's policies send it
    const reached = (await context.invoke({ fn: 'stream_joints', args: [targets[k], gripper, periodS], kwargs: { arm } })) as { time_s: number; clipped: string[] };
    progress.steps += 1;
    progress.targetRad = targets[k]!;
    progress.nowS = reached.time_s;
    if (reached.clipped.length > 0) progress.clipped += 1;
    if (firstDoneMs === null) firstDoneMs = performance.now();
    else {
      progress.applyMs += performance.now() - firstDoneMs;
      progress.appliedSteps += 1;
      firstDoneMs = performance.now();
    }
  }
}
