import { describe, expect, it } from 'vitest';
import { freshSeed } from '../../stores/skills.ts';
import { draftProblem, INITIAL_SKILL_EDITOR, skillEditorReducer } from './editor.ts';

const opened = skillEditorReducer(INITIAL_SKILL_EDITOR, { type: 'opened', name: 'lift_cube', source: 'def lift_cube():\n    pass\n', description: 'lift' });

describe('skill editor', () => {
  it('tracks unsaved edits', () => {
    expect(opened.dirty).toBe(false);
    const edited = skillEditorReducer(opened, { type: 'source', value: 'def lift_cube():\n    return 1\n' });
    expect(edited.dirty).toBe(true);
    expect(skillEditorReducer(edited, { type: 'saved' }).dirty).toBe(false);
    expect(skillEditorReducer(opened, { type: 'source', value: opened.draftSource })).toBe(opened);
  });

  it('asks before deleting, only with a skill open', () => {
    expect(skillEditorReducer(INITIAL_SKILL_EDITOR, { type: 'ask-delete' }).confirmingDelete).toBe(false);
    const asking = skillEditorReducer(opened, { type: 'ask-delete' });
    expect(asking.confirmingDelete).toBe(true);
    expect(skillEditorReducer(asking, { type: 'cancel-delete' }).confirmingDelete).toBe(false);
  });

  it('keeps the search when a skill closes', () => {
    const searched = skillEditorReducer(opened, { type: 'query', value: 'cube' });
    expect(skillEditorReducer(searched, { type: 'closed' })).toEqual({ ...INITIAL_SKILL_EDITOR, query: 'cube' });
  });

  it('refuses drafts that are not a function', () => {
    expect(draftProblem(opened)).toBeNull();
    expect(draftProblem(skillEditorReducer(opened, { type: 'source', value: 'print(1)' }))).toMatch(/def/);
    expect(draftProblem(skillEditorReducer(opened, { type: 'source', value: '  ' }))).toMatch(/no code/);
    expect(draftProblem(INITIAL_SKILL_EDITOR)).toMatch(/Open a skill/);
  });

  it('draws fresh seeds as whole numbers', () => {
    expect(freshSeed(() => 0.5)).toBe(500000);
    expect(Number.isInteger(freshSeed())).toBe(true);
  });
});
