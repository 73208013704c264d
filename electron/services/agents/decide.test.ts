import { describe, expect, it } from 'vitest';
import { candidateTemperatures, synthesisRequest } from './decide.ts';
import { parseSkillSource, wrapProgramAsSkill } from './skills.ts';
import { loadTask } from '../trials/catalog.ts';

describe('agent0 pieces', () => {
  it('spreads nine candidates over temperatures 0.1–0.9 as CaP-X does', () => {
    expect(candidateTemperatures(9)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(candidateTemperatures(3)).toEqual([0.1, 0.5, 0.9]);
    expect(candidateTemperatures(1)).toEqual([0.5]);
  });

  it('shows the synthesis every candidate with its rehearsal outcome', () => {
    const base = { model: 'm', usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, error: null, responseText: '', finish: false };
    const text = synthesisRequest([
      { ...base, index: 0, temperature: 0.1, code: 'a()\n', rehearsal: { status: 'success', reason: 'lifted' } },
      { ...base, index: 1, temperature: 0.9, code: null, finish: true, rehearsal: null },
      { ...base, index: 2, temperature: 0.5, code: null, error: 'HTTP 500', rehearsal: null },
    ]);
    expect(text).toContain('### Candidate 1 (temperature 0.1, m)\n```python\na()\n```\nRehearsal on a twin rebuilt from perception: success (lifted)');
    expect(text).toContain('### Candidate 2 (temperature 0.9, m)\nFINISH');
    expect(text).toContain('### Candidate 3 (temperature 0.5, m)\nFailed: HTTP 500');
  });
});

describe('skill sources', () => {
  it('reads the function, its docstring and the example call', () => {
    const skill = parseSkillSource(
      'import math\n\ndef lift_object(name, height_m=0.1):\n    """Lift the named object.\n\n    name: object name.\n    """\n    return name\n\n' +
        "if __name__ == '__main__':\n    lift_object('cube')\n",
    );
    expect(skill).toEqual({
      name: 'lift_object',
      description: 'Lift the named object.\n\n    name: object name.',
      signature: 'lift_object(name, height_m=0.1)',
      source: 'import math\n\ndef lift_object(name, height_m=0.1):\n    """Lift the named object.\n\n    name: object name.\n    """\n    return name\n',
      example: "lift_object('cube')",
    });
  });

  it('refuses a skill without a function or a docstring', () => {
    expect(() => parseSkillSource('x = 1\n')).toThrow('no top-level function');
    expect(() => parseSkillSource('def f():\n    return 1\n')).toThrow('f() has no docstring');
  });

  it('wraps a program as a no-argument function named after the task', () => {
    const skill = wrapProgramAsSkill(loadTask('cube-lift'), 'open_gripper()\nif True:\n    close_gripper()\n');
    expect(skill.name).toBe('cube_lift');
    expect(skill.example).toBe('cube_lift()');
    expect(skill.source).toContain('\n    open_gripper()\n    if True:\n        close_gripper()\n');
  });
});
