// The host-side Panda kinematics against the simulator's own (MuJoCo's) gripper pose, both arms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCall } from '../../shared/api/validate.ts';
import { readFileSync } from 'node:fs';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { SimBackend } from './sim-backend.ts';

const twoArmLift = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/two-arm-lift.json', import.meta.url), 'utf8'), 'two-arm-lift.json');

describe('host-side Panda kinematics', () => {
  let backend: SimBackend;
  beforeAll(async () => {
    backend = await SimBackend.start(twoArmLift);
    await backend.reset(1);
  });
  afterAll(() => backend.dispose());

  it('puts the gripper centre where MuJoCo puts it, for either arm and any joint angles', async () => {
    const context = { armJointCount: 7, arms: ['left', 'right'] };
    for (const [arm, offset] of [['left', 0.3], ['right', -0.2]] as const) {
      const q = [0.4, -0.5, 0.3, -2.0, 0.2, 1.8, 0.6].map((v) => v + offset * Math.sin(v * 7));
      await backend.invoke(validateCall({ fn: 'move_to_joints', args: [q], kwargs: { arm } }, context));
      const reached = (await backend.invoke(validateCall({ fn: 'get_observation', args: [], kwargs: { arm } }, context))) as { q_rad: number[] };
      const [position, quat] = (await backend.invoke(validateCall({ fn: 'get_ee_pose', args: [], kwargs: { arm } }, context))) as [number[], number[]];
      const pose = backend.kinematics.gripperPose(reached.q_rad, arm);
      pose.positionM.forEach((v, i) => expect(v).toBeCloseTo(position[i]!, 3));
      const dot = Math.abs(pose.quatWxyz.reduce((sum, v, i) => sum + v * quat[i]!, 0));
      expect(dot).toBeGreaterThan(0.9999);
    }
  });
});
