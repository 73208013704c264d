/**
 * A policy run on a real arm (here the SO-101). Twin first: the program runs on the arm's digital
 * twin — the same driver against the servo emulator over an in-memory link, started where the real
 * arm is — and only when that run completes does it run on the real arm, through the safety
 * supervisor with the arm's limits and the operator's arming. Nothing senses the scene, so the
 * outcome is `completed` (not judged) when the program ends normally.
 */
import { basename } from 'node:path';
import { TIERS } from '../../shared/api/tiers.ts';
import type { PolicyEvent, TrialOutcome } from '../../shared/run.ts';
import { So101Backend } from '../../native/drivers/so101/backend.ts';
import { Sts3215Emulator } from '../../native/drivers/feetech/emulator.ts';
import { memoryLinkPair } from '../../native/drivers/link.ts';
import { loadCalibration, nominalCalibration, type So101Calibration } from '../../native/drivers/so101/calibration.ts';
import { SO101_ARM_SAFETY, SO101_WORKSPACE } from '../../native/drivers/so101/profile.ts';
import { policyLimits, runSupervised } from './trial.ts';

/** What a run on an SO-101 needs. */
export interface So101RunOptions {
  readonly port: string;
  /** Calibration file of this arm; the nominal calibration when absent. */
  readonly calibrationPath?: string;
  readonly taskId: string;
  readonly programSource: string;
  readonly programName: string;
  /** The operator armed the robot for this run. */
  readonly armed: boolean;
  readonly wallClockMs?: number;
  readonly onEvent?: (event: PolicyEvent) => void;
  /** The twin's result, before the real arm moves (the operator sees it first). */
  readonly onTwinResult?: (outcome: TrialOutcome) => void;
  readonly signal?: AbortSignal;
}

/** Run a program on an SO-101 (twin first); never throws for policy failures. */
export async function runOnSo101(options: So101RunOptions): Promise<TrialOutcome> {
  const calibration = options.calibrationPath ? loadCalibration(options.calibrationPath) : nominalCalibration(basename(options.port));
  const arm = await So101Backend.connect(options.port, calibration);
  try {
    const twin = await runOnTwin(options, calibration, await arm.presentTicks());
    options.onTwinResult?.(twin);
    if (twin.status !== 'completed') {
      return { ...twin, reason: `the twin run ended ${twin.status} (${twin.reason}); the real arm was not moved` };
    }
    return await supervisedOn(arm, options, true);
  } finally {
    await arm.dispose();
  }
}

/** The digital twin: the SO-101 driver against the servo emulator, from the real arm's pose. */
async function runOnTwin(options: So101RunOptions, calibration: So101Calibration, startTicks: Record<number, number>): Promise<TrialOutcome> {
  const [hostEnd, deviceEnd] = memoryLinkPair();
  const emulator = await Sts3215Emulator.open(deviceEnd, { ids: calibration.joints.map((j) => j.id), startTicks });
  const twin = await So101Backend.connect(hostEnd, calibration);
  try {
    return await supervisedOn(twin, { ...options, onEvent: undefined }, false);
  } finally {
    await twin.dispose();
    await emulator.close();
  }
}

async function supervisedOn(backend: So101Backend, options: So101RunOptions, real: boolean): Promise<TrialOutcome> {
  const started = performance.now();
  const policy = await runSupervised({
    backend,
    programSource: options.programSource,
    programName: options.programName,
    tier: TIERS.S1,
    arms: ['left'],
    workspace: SO101_WORKSPACE,
    armLimits: SO101_ARM_SAFETY,
    armed: real ? options.armed : true,
    limits: policyLimits(options.wallClockMs ?? 120_000),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const status =
    policy.status === 'completed' ? 'completed' : policy.status === 'cancelled' ? 'cancelled' : policy.status === 'timeout' ? 'timeout' : 'error';
  const where = real ? 'the SO-101' : 'the twin';
  const reason =
    status === 'completed' ? `program finished on ${where} (success is not judged on a real arm: nothing senses the scene)` : policy.reason;
  const seconds = (performance.now() - started) / 1000;
  return { taskId: options.taskId, seed: 0, status, success: false, reason, wallSeconds: seconds, robotSeconds: seconds, policy };
}
