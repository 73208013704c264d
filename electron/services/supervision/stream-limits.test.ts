// Streamed targets clipped to each limit in turn, by scaling the whole step (the direction kept).
import { describe, expect, it } from 'vitest';
import { workcellKinematics } from '../../../native/sim/panda-kinematics.ts';
import { PANDA_HOME_RAD } from '../../../native/sim/panda-mjcf.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { StreamClipper } from './stream-limits.ts';

const PERIOD_S = 0.1;
const kinematics = workcellKinematics('panda-table');
const clipper = (workspace = WORKCELLS['panda-table'].workspace) =>
  new StreamClipper({ maxJointSpeedRadS: 1, maxJointAccelerationRadS2: 5, workspace, kinematics });
const plus = (q: readonly number[], i: number, by: number): number[] => q.map((v, k) => (k === i ? v + by : v));

describe('StreamClipper', () => {
  it('passes targets within every limit untouched', () => {
    const streams = clipper();
    const first = plus(PANDA_HOME_RAD, 0, 0.04);
    expect(streams.clip('left', first, PERIOD_S, PANDA_HOME_RAD)).toEqual({ targetRad: first, clips: [] });
    expect(streams.clip('left', plus(first, 0, 0.08), PERIOD_S, null).clips).toEqual([]);
  });

  it('limits the change of speed from rest, then the speed, keeping the direction of the step', () => {
    const streams = clipper();
    const { targetRad, clips } = streams.clip('left', plus(plus(PANDA_HOME_RAD, 0, 0.4), 1, 0.2), PERIOD_S, PANDA_HOME_RAD);
    expect(clips.map((c) => c.limit)).toEqual(['acceleration']);
    expect(targetRad[0]! - PANDA_HOME_RAD[0]!).toBeCloseTo(0.05, 6); // 5 rad/s² for 0.1 s, for 0.1 s
    expect(targetRad[1]! - PANDA_HOME_RAD[1]!).toBeCloseTo(0.025, 6);
    let last = targetRad;
    for (let k = 0; k < 5; k += 1) last = streams.clip('left', plus(last, 0, 0.5), PERIOD_S, null).targetRad;
    const step = streams.clip('left', plus(last, 0, 0.5), PERIOD_S, null);
    expect(step.clips.map((c) => c.limit)).toEqual(['acceleration', 'speed']);
    expect(step.targetRad[0]! - last[0]!).toBeCloseTo(0.1, 6); // 1 rad/s
  });

  it('clips to the joint limits of the model', () => {
    const beyond = PANDA_HOME_RAD.map((q, i) => (i === 3 ? 0.5 : q)); // joint 4 tops out at -0.0698
    const { clips } = new StreamClipper({ maxJointSpeedRadS: 100, maxJointAccelerationRadS2: 1000, workspace: WORKCELLS['panda-table'].workspace, kinematics }).clip('left', beyond, PERIOD_S, PANDA_HOME_RAD);
    expect(clips[0]).toMatchObject({ limit: 'joint limit', detail: 'joint 4 target 0.500 rad clipped to its limit -0.070 rad' });
  });

  it('shortens a step that would take the gripper out of the workspace box', () => {
    const home = kinematics.gripperPose(PANDA_HOME_RAD, 'left').positionM;
    const box = { minM: [0.15, -0.55, home[2] - 0.01] as [number, number, number], maxM: [0.85, 0.55, 0.8] as [number, number, number] };
    const streams = new StreamClipper({ maxJointSpeedRadS: 100, maxJointAccelerationRadS2: 1000, workspace: box, kinematics });
    const down = plus(PANDA_HOME_RAD, 1, 0.3); // leaning the shoulder forward lowers the gripper
    expect(kinematics.gripperPose(down, 'left').positionM[2]).toBeLessThan(box.minM[2]);
    const { targetRad, clips } = streams.clip('left', down, PERIOD_S, PANDA_HOME_RAD);
    expect(clips.map((c) => c.limit)).toEqual(['workspace']);
    const z = kinematics.gripperPose(targetRad, 'left').positionM[2];
    expect(z).toBeGreaterThanOrEqual(box.minM[2]);
    expect(z).toBeLessThan(box.minM[2] + 0.003);
  });

  it('starts again from rest after the arm held still', () => {
    const streams = clipper();
    const moving = streams.clip('left', plus(PANDA_HOME_RAD, 0, 0.03), PERIOD_S, PANDA_HOME_RAD).targetRad;
    const faster = streams.clip('left', plus(moving, 0, 0.06), PERIOD_S, null);
    expect(faster.clips).toEqual([]);
    expect(streams.clip('left', plus(faster.targetRad, 0, 0.06), PERIOD_S, null, true).clips.map((c) => c.limit)).toEqual(['acceleration']);
  });
});
