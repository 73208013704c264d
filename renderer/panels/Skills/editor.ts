/** The Skills panel's reducer: search text, the draft being edited, the delete confirmation. */
import type { SkillEditor, SkillEditorAction } from './types.ts';

/** Nothing open. */
export const INITIAL_SKILL_EDITOR: SkillEditor = { query: '', name: null, draftSource: '', draftDescription: '', dirty: false, confirmingDelete: false };

/** Apply one edit. */
export function skillEditorReducer(state: SkillEditor, action: SkillEditorAction): SkillEditor {
  switch (action.type) {
    case 'query':
      return { ...state, query: action.value };
    case 'opened':
      return { ...state, name: action.name, draftSource: action.source, draftDescription: action.description, dirty: false, confirmingDelete: false };
    case 'source':
      return action.value === state.draftSource ? state : { ...state, draftSource: action.value, dirty: true };
    case 'description':
      return { ...state, draftDescription: action.value, dirty: true };
    case 'saved':
      return { ...state, dirty: false };
    case 'ask-delete':
      return state.name ? { ...state, confirmingDelete: true } : state;
    case 'cancel-delete':
      return { ...state, confirmingDelete: false };
    case 'closed':
      return { ...INITIAL_SKILL_EDITOR, query: state.query };
  }
}

/** Why a draft cannot be saved, or null. */
export function draftProblem(state: SkillEditor): string | null {
  if (!state.name) return 'Open a skill first.';
  if (!state.draftSource.trim()) return 'The skill has no code.';
  if (!/\bdef\s+[A-Za-z_]\w*\s*\(/.test(state.draftSource)) return 'A skill is a Python function: the code needs a def.';
  return null;
}
