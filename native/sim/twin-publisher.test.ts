// The twin's publisher on a real workcell (MuJoCo in this thread): a recorded frame every 40 ms
// of simulated time and none while a reset settles, the ghost target while an arm moves, and
// nothing at all while publishing is switched off.
import { readFileSync } from 'node:fs';
import loadMujoco from '@mujoco/mujoco';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { createFrameRing, FrameRingReader } from './frame-ring.ts';
import { PANDA_HOME_RAD } from './panda-mjcf.ts';
import { createPoseBuffer, PoseReader } from './pose-buffer.ts';
import { describeTwinBodies } from './twin-bodies.ts';
import { TwinPublisher } from './twin-publisher.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';

const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');
let workcell: PandaWorkcell;
let publisher: TwinPublisher;
let poses: PoseReader;
let ring: FrameRingReader;
let hand: number;

beforeAll(async () => {
  const mujoco = await loadMujoco();
  let late: TwinPublisher | null = null;
  workcell = PandaWorkcell.create(mujoco, task, { isHalted: () => false }, { afterStep: () => late?.afterStep() });
  const { bodies, bodyIds } = describeTwinBodies(mujoco, workcell.model, ['left'], ['cube']);
  const poseBuffer = createPoseBuffer(bodies.length, 1);
  const ringBuffer = createFrameRing(bodies.length);
  // Live frames only when a request ends (no wall-clock frames): the test does not depend on speed.
  publisher = new TwinPublisher(poseBuffer, ringBuffer, workcell.data, workcell.model.opt.timestep, bodyIds, workcell.arms, Number.POSITIVE_INFINITY);
  late = publisher;
  publisher.afterStep(); // the first call publishes (nothing before it); later ones wait forever
  poses = new PoseReader(poseBuffer);
  ring = new FrameRingReader(ringBuffer);
  hand = bodies.findIndex((b) => b.name === 'left_hand');
});
afterAll(() => workcell?.dispose());

describe('TwinPublisher', () => {
  it('records the state a reset ends in, not its settling', () => {
    ring.drain();
    const seq = poses.seq;
    publisher.settling(() => workcell.reset(0));
    const { frames } = ring.drain();
    expect(frames.map((f) => f.timeS)).toEqual([0]);
    expect(poses.read(seq)).toMatchObject({ seq: seq + 1, timeS: 0 });
  });

  it('records a frame every 40 ms of simulated time and shows the target while the arm moves', () => {
    const goal = PANDA_HOME_RAD.map((q, i) => (i === 0 ? q + 0.5 : q));
    workcell.call(bound('move_to_joints', { q_rad: goal, wait: false }));
    workcell.call(bound('sleep', { seconds: 0.2 }));
    publisher.flush();
    const moving = poses.read()!;
    expect(moving.targets).toHaveLength(1);
    const target = moving.targets[0]!;

    workcell.call(bound('wait_for_motion'));
    publisher.flush();
    const atRest = poses.read()!;
    expect(atRest.targets).toEqual([]);
    const reached = workcell.arms[0]!.eePose();
    target.positionM.forEach((v, i) => expect(v).toBeCloseTo(reached.positionM[i]!, 2));

    const { frames, dropped } = ring.drain();
    expect(dropped).toBe(0);
    expect(frames.length).toBe(Math.floor(atRest.timeS / 0.04 + 1e-6));
    frames.forEach((frame, i) => expect(frame.timeS).toBeCloseTo(0.04 * (i + 1), 6));
    const handX = (p: readonly number[]): number => p[7 * hand]!;
    expect(handX(frames.at(-1)!.poses)).not.toBeCloseTo(handX(frames[0]!.poses), 3);
    // The last recorded frame is under 40 ms before the end: the arm has (nearly) arrived.
    frames.at(-1)!.poses.slice(7 * hand, 7 * hand + 3).forEach((v, i) => expect(v).toBeCloseTo(atRest.poses[7 * hand + i]!, 2));
  });

  it('writes nothing while publishing is off', () => {
    ring.drain();
    poses.publishing = false;
    const seq = poses.seq;
    workcell.call(bound('sleep', { seconds: 0.2 }));
    publisher.flush();
    expect(poses.seq).toBe(seq);
    expect(ring.drain().frames).toEqual([]);
    poses.publishing = true;
  });
});
