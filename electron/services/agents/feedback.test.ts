import { describe, expect, it } from 'vitest';
import type { PolicyEvent, PolicyResult } from '../../../shared/run.ts';
import { executionFeedback, lineSummary } from './feedback.ts';
import { describeSceneChange } from './scene-change.ts';

const code = 'x = 1\npose = get_object_pose("cub")\nprint(pose)\n';
const failed: PolicyResult = {
  status: 'exception',
  reason: 'LookupError at line 2',
  exception: {
    type: 'LookupError',
    message: "no object named 'cub'; known: cube",
    line: 2,
    traceback: [{ file: 'policy.py', line: 2, function: '<module>', code: 'pose = get_object_pose("cub")' }],
    formatted: 'Traceback (most recent call last):\n  File "policy.py", line 2\nLookupError: no object named \'cub\'; known: cube\n',
  },
  stdout: 'starting\n',
  stderr: 'Traceback (most recent call last):\n  File "policy.py", line 2\nLookupError: no object named \'cub\'; known: cube\n',
  terminal: '',
  wallMs: 1234,
  exitCode: 1,
  signal: null,
};
const events: PolicyEvent[] = [
  { kind: 'line', tMs: 1, line: 1 },
  { kind: 'line', tMs: 2, line: 2 },
  {
    kind: 'api-call', tMs: 3, fn: 'get_object_pose', args: { name: 'cub' }, durationMs: 2, ok: false,
    error: { code: 'unknown_object', message: "no object named 'cub'; known: cube" },
  },
];

describe('executionFeedback', () => {
  it('names the error, the failing line, the output, the lines that never ran and the calls', () => {
    const text = executionFeedback({ code, policy: failed, events });
    expect(text).toContain('Status: exception (LookupError at line 2)');
    expect(text).toContain('Failing line 2: pose = get_object_pose("cub")');
    expect(text).toContain("LookupError: no object named 'cub'; known: cube");
    expect(text).toContain('starting');
    expect(text).toContain('Lines that never ran: 3');
    expect(text).toContain('get_object_pose(name="cub") FAILED');
    expect(text).toContain('or with FINISH');
  });

  it('adds the scene change when given', () => {
    expect(executionFeedback({ code, policy: failed, events, sceneChange: '- cube: did not move.' })).toContain(
      'What changed in the scene (from the cameras)\n- cube: did not move.',
    );
  });

  it('says when nothing ran', () => {
    expect(lineSummary([], code)).toBe('No line of the program ran.');
  });
});

describe('describeSceneChange', () => {
  const pose = (x: number, y: number, z: number) => ({ positionM: [x, y, z] as const, quatWxyz: [1, 0, 0, 0] as const });

  it('reports moves, lifts and new stacking', () => {
    const before = { red: pose(0.5, 0, 0.02), green: pose(0.5, 0.2, 0.02) };
    const after = { red: pose(0.5, 0.2, 0.065), green: pose(0.5, 0.2, 0.02) };
    const text = describeSceneChange(before, after);
    expect(text).toContain('- red: moved 20.5 cm, from [0.500, 0.000, 0.020] to [0.500, 0.200, 0.065] (up 4.5 cm).');
    expect(text).toContain('- green: did not move');
    expect(text).toContain('red on green (new)');
  });

  it('reports objects the cameras lost and relations that ended', () => {
    const before = { red: pose(0.5, 0.2, 0.065), green: pose(0.5, 0.2, 0.02) };
    const after = { red: null, green: pose(0.5, 0.2, 0.02) };
    const text = describeSceneChange(before, after);
    expect(text).toContain('red: no longer seen');
    expect(text).toContain('No longer: red on green.');
  });
});
