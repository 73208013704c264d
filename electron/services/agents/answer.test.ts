import { describe, expect, it } from 'vitest';
import { readAnswer } from './answer.ts';

describe('readAnswer', () => {
  it('takes the python block out of prose', () => {
    const answer = readAnswer('Here is the plan.\n```python\nopen_gripper()\nclose_gripper()\n```\nDone.');
    expect(answer).toEqual({ kind: 'program', code: 'open_gripper()\nclose_gripper()\n' });
  });

  it('prefers the longest python block over a short snippet', () => {
    const text = 'Use `x`:\n```py\nx = 1\n```\nFull program:\n```python\nx = 1\ny = 2\nprint(x + y)\n```';
    expect(readAnswer(text)).toEqual({ kind: 'program', code: 'x = 1\ny = 2\nprint(x + y)\n' });
  });

  it('ignores blocks in other languages', () => {
    expect(readAnswer('```bash\nls\n```').kind).toBe('none');
  });

  it('reads FINISH on its own line, not inside words or code', () => {
    expect(readAnswer('The cube is up.\nFINISH')).toEqual({ kind: 'finish' });
    expect(readAnswer('**FINISH**')).toEqual({ kind: 'finish' });
    expect(readAnswer('I will not FINISH yet').kind).toBe('none');
    expect(readAnswer('```python\nprint("FINISH")\n```').kind).toBe('program');
  });

  it('says why when there is no code', () => {
    const answer = readAnswer('I am sorry, I cannot help with that.');
    expect(answer).toEqual({ kind: 'none', reason: 'the answer has no ```python code block and does not say FINISH' });
    expect(readAnswer('   ')).toEqual({ kind: 'none', reason: 'the answer is empty' });
  });

  it('accepts an unfenced program', () => {
    expect(readAnswer('pose = get_object_pose("cube")\nprint(pose)')).toEqual({
      kind: 'program',
      code: 'pose = get_object_pose("cube")\nprint(pose)\n',
    });
  });
});
