/**
 * A policy run on a real arm (here the SO-101): connect, run the program through the safety
 * supervisor with the arm's limits and the operator's arming, then hold the arm and close the
 * port. Nothing senses the scene, so the outcome is `completed` (not judged) when the program
 * ends normally; every other ending carries its reason.
 */
import { basename } from 'node:path';
import { TIERS } from '../../shared/api/tiers.ts';
import type { PolicyEvent, TrialOutcome } from '../../shared/run.ts';
import { So101Backend } from '../../native/drivers/so101/backend.ts';
import { loadCalibration, nominalCalibration } from '../../native/drivers/so101/calibration.ts';
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
  readonly signal?: AbortSignal;
}

/** Run a program on an SO-101; never throws for policy failures (they are in the outcome). */
export async function runOnSo101(options: So101RunOptions): Promise<TrialOutcome> {
  const started = performance.now();
  const calibration = options.calibrationPath ? loadCalibration(options.calibrationPath) : nominalCalibration(basename(options.port));
  const backend = await So101Backend.connect(options.port, calibration);
  try {
    const policy = await runSupervised({
      backend,
      programSource: options.programSource,
      programName: options.programName,
      tier: TIERS.S1,
      arms: ['left'],
      workspace: SO101_WORKSPACE,
      armLimits: SO101_ARM_SAFETY,
      armed: options.armed,
      limits: policyLimits(options.wallClockMs ?? 120_000),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const status =
      policy.status === 'completed' ? 'completed' : policy.status === 'cancelled' ? 'cancelled' : policy.status === 'timeout' ? 'timeout' : 'error';
    const reason =
      status === 'completed' ? 'program finished on the SO-101 (success is not judged on a real arm: nothing senses the scene)' : policy.reason;
    return {
      taskId: options.taskId,
      seed: 0,
      status,
      success: false,
      reason,
      wallSeconds: (performance.now() - started) / 1000,
      robotSeconds: (performance.now() - started) / 1000,
      policy,
    };
  } finally {
    await backend.dispose();
  }
}
