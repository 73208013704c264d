// The reward rules and GRPO's arithmetic, on the outcomes a trial gives.
import { describe, expect, it } from 'vitest';
import { bestSuccessful, groupAdvantages } from './advantages.ts';
import { NoProgramError, programOf, rewardOf } from './scoring.ts';

describe('reward presets', () => {
  const cases = [
    { status: 'success', success: true, progress: 1 },
    { status: 'failure', success: false, progress: 0.4 },
    { status: 'failure', success: false, progress: 0 },
    { status: 'error', success: false, progress: 0 },
    { status: 'timeout', success: false, progress: 0 },
  ] as const;

  it("capx: 1 on success, 0.1 for a clean exit, 0 on an exception or a timeout (CaP-X's rule)", () => {
    expect(cases.map((c) => rewardOf('capx', c))).toEqual([1, 0.1, 0.1, 0, 0]);
  });

  it("dense: the task's progress for a clean exit, 0 otherwise", () => {
    expect(cases.map((c) => rewardOf('dense', c))).toEqual([1, 0.4, 0, 0, 0]);
  });

  it('takes the longest python block as the program, and refuses an answer with none', () => {
    expect(programOf('first:\n```python\nx = 1\n```\nthen:\n```python\nopen_gripper()\nclose_gripper()\n```')).toBe('open_gripper()\nclose_gripper()\n');
    expect(() => programOf('I would lift the cube.')).toThrow(NoProgramError);
    expect(() => programOf('FINISH')).toThrow(/says FINISH/);
  });
});

describe('GRPO advantages', () => {
  it('normalises by the group mean and sample standard deviation', () => {
    const { mean, std, advantages } = groupAdvantages([1, 0, 0.1, 0.1]);
    expect(mean).toBeCloseTo(0.3, 12);
    const sampleStd = Math.sqrt(((0.7 ** 2) + (0.3 ** 2) + 2 * (0.2 ** 2)) / 3);
    expect(std).toBeCloseTo(sampleStd, 12);
    expect(advantages[0]).toBeCloseTo(0.7 / (sampleStd + 1e-6), 9);
    expect(advantages[1]).toBeCloseTo(-0.3 / (sampleStd + 1e-6), 9);
  });

  it('gives 0 to every member of a group whose rewards are equal', () => {
    expect(groupAdvantages([0.1, 0.1, 0.1]).advantages).toEqual([0, 0, 0]);
    expect(groupAdvantages([1]).advantages).toEqual([0]);
  });

  it('picks the best successful completion, the first among equals, or none', () => {
    const c = (reward: number, success: boolean) => ({ completion: '', reward, success, progress: 0, status: '', reason: '' });
    expect(bestSuccessful([c(0.1, false), c(1, true), c(1, true)])).toBe(1);
    expect(bestSuccessful([c(0.1, false), c(0, false)])).toBeNull();
  });
});
