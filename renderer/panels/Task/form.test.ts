import { describe, expect, it } from 'vitest';
import { INITIAL_TASK_FORM, taskFormReducer, taskRunRequest } from './form.ts';

describe('task form', () => {
  it('picks the first task once tasks load, and keeps a valid choice', () => {
    const loaded = taskFormReducer(INITIAL_TASK_FORM, { type: 'tasks-loaded', taskIds: ['cube-lift', 'cube-stack'] });
    expect(loaded.taskId).toBe('cube-lift');
    const chosen = taskFormReducer(loaded, { type: 'set', field: 'taskId', value: 'cube-stack' });
    expect(taskFormReducer(chosen, { type: 'tasks-loaded', taskIds: ['cube-lift', 'cube-stack'] }).taskId).toBe('cube-stack');
  });

  it('ignores options that do not exist', () => {
    expect(taskFormReducer(INITIAL_TASK_FORM, { type: 'tier', value: 'S9' })).toBe(INITIAL_TASK_FORM);
    expect(taskFormReducer(INITIAL_TASK_FORM, { type: 'agent', value: 'oracle' })).toBe(INITIAL_TASK_FORM);
    expect(taskFormReducer(INITIAL_TASK_FORM, { type: 'tier', value: 'M3' }).tier).toBe('M3');
  });

  it('builds an expert request for a bench task', () => {
    const form = { ...INITIAL_TASK_FORM, taskId: 'cube-lift', seed: '12' };
    expect(taskRunRequest(form)).toEqual({ ok: true, request: { taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed: 12, robot: 'sim' } });
  });

  it('asks for what is missing, one thing at a time', () => {
    const base = { ...INITIAL_TASK_FORM, taskId: 'cube-lift' };
    expect(taskRunRequest({ ...base, seed: '-1' })).toMatchObject({ ok: false, error: expect.stringMatching(/Seed/) });
    expect(taskRunRequest({ ...base, agent: 'multi-turn' })).toMatchObject({ ok: false, error: expect.stringMatching(/provider:model/) });
    expect(taskRunRequest({ ...base, mode: 'text', agent: 'multi-turn', model: 'openai:gpt-4o' })).toMatchObject({ ok: false, error: expect.stringMatching(/Write the task/) });
    expect(taskRunRequest({ ...INITIAL_TASK_FORM })).toMatchObject({ ok: false });
  });

  it('sends free text and the model for agents', () => {
    const form = { ...INITIAL_TASK_FORM, taskId: 'cube-lift', mode: 'text' as const, text: ' lift the red cube ', agent: 'agent0' as const, model: 'ollama:qwen2.5-coder', tier: 'M1' as const };
    expect(taskRunRequest(form)).toEqual({
      ok: true,
      request: { taskId: 'cube-lift', instruction: 'lift the red cube', agent: 'agent0', model: 'ollama:qwen2.5-coder', tier: 'M1', seed: 0, robot: 'sim' },
    });
  });

  it('runs a real arm\'s expert program, and an agent there only with its camera, at a perception tier', () => {
    const form = { ...INITIAL_TASK_FORM, taskId: 'pick-place', robot: 'so101' as const };
    expect(taskRunRequest(form)).toEqual({ ok: true, request: { taskId: 'pick-place', agent: 'expert', tier: 'S1', seed: 0, robot: 'so101' } });
    expect(taskRunRequest({ ...form, agent: 'multi-turn', model: 'openai:gpt-4.1' })).toMatchObject({ ok: false, error: expect.stringMatching(/agent on the so101 needs its calibrated camera/) });
    const seeing = { ...form, taskId: 'cube-lift', camera: 'overhead' };
    expect(taskRunRequest(seeing)).toEqual({ ok: true, request: { taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed: 0, robot: 'so101', camera: 'overhead' } });
    expect(taskRunRequest({ ...seeing, agent: 'multi-turn', model: 'openai-compatible:replay' })).toMatchObject({ ok: false, error: expect.stringMatching(/Tier S1 has no camera calls/) });
    expect(taskRunRequest({ ...seeing, agent: 'multi-turn', model: 'openai-compatible:replay', tier: 'M4' })).toEqual({
      ok: true,
      request: { taskId: 'cube-lift', agent: 'multi-turn', model: 'openai-compatible:replay', tier: 'M4', seed: 0, robot: 'so101', camera: 'overhead' },
    });
    expect(taskRunRequest({ ...seeing, agent: 'agent0', model: 'openai:gpt-4.1', tier: 'M4' })).toEqual({
      ok: true,
      request: { taskId: 'cube-lift', agent: 'agent0', model: 'openai:gpt-4.1', tier: 'M4', seed: 0, robot: 'so101', camera: 'overhead' },
    });
  });
});
