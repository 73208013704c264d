/** Skills: search the library, read and edit a skill, test it on a fresh seed, delete it. */
import { useEffect, useReducer } from 'react';
import { CodeEditor } from '../../components/CodeEditor.tsx';
import { selectSelectedSkill, selectSkills, selectSkillsError, selectSkillsNotice, skillsActions, useSkills } from '../../stores/skills.ts';
import { draftProblem, INITIAL_SKILL_EDITOR, skillEditorReducer } from './editor.ts';

const SEARCH_DEBOUNCE_MS = 200;

export function SkillsPanel({ active }: { active: boolean }): React.JSX.Element {
  const skills = useSkills(selectSkills);
  const selected = useSkills(selectSelectedSkill);
  const error = useSkills(selectSkillsError);
  const notice = useSkills(selectSkillsNotice);
  const [state, dispatch] = useReducer(skillEditorReducer, INITIAL_SKILL_EDITOR);

  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(() => void skillsActions.search(state.query), state.query ? SEARCH_DEBOUNCE_MS : 0);
    return () => clearTimeout(timer);
  }, [active, state.query]);
  useEffect(() => {
    if (selected) dispatch({ type: 'opened', name: selected.name, source: selected.source, description: selected.description });
    else dispatch({ type: 'closed' });
  }, [selected]);

  const problem = draftProblem(state);
  const save = async (): Promise<void> => {
    if (state.name && !problem && (await skillsActions.save(state.name, state.draftSource, state.draftDescription))) dispatch({ type: 'saved' });
  };

  return (
    <div className="skills-panel">
      <div className="toolbar">
        <input type="search" data-testid="skills-search" placeholder="Search skills (names, descriptions, code)" value={state.query} onChange={(e) => dispatch({ type: 'query', value: e.target.value })} />
        <span className="muted" data-testid="skills-count">{skills.length} skill{skills.length === 1 ? '' : 's'}</span>
      </div>
      {error && <p className="error" data-testid="skills-error">{error}</p>}
      {notice && <p className="notice" data-testid="skills-notice">{notice}</p>}
      <div className="split">
        <ul className="skill-list">
          {skills.map((skill) => (
            <li key={skill.name} data-testid="skill-row" data-skill-name={skill.name} className={skill.name === state.name ? 'selected' : ''}>
              <button type="button" onClick={() => void skillsActions.open(skill.name)}>
                <strong>{skill.name}</strong>
                <span className="muted"> {skill.successes}/{skill.trials} trials</span>
                <br />
                <span>{skill.description}</span>
              </button>
            </li>
          ))}
          {skills.length === 0 && <li className="muted">{state.query ? 'No skill matches.' : 'The library is empty: successful programs become skills.'}</li>}
        </ul>
        {selected && (
          <div className="skill-detail" data-testid="skill-detail" data-skill-name={selected.name}>
            <header className="toolbar">
              <strong>{selected.name}</strong>
              <span className="muted">v{selected.version} · {selected.taskId ?? 'no task'} · {selected.successes}/{selected.trials} · {selected.updatedAt}</span>
            </header>
            <label className="wide">
              Description
              <input data-testid="skill-description" value={state.draftDescription} onChange={(e) => dispatch({ type: 'description', value: e.target.value })} />
            </label>
            <CodeEditor testId="skill-code" doc={selected.source} docKey={`${selected.name}:${selected.version}`} onChange={(value) => dispatch({ type: 'source', value })} />
            <div className="toolbar">
              <button type="button" className="primary" data-testid="skill-save" disabled={!state.dirty || problem !== null} title={problem ?? ''} onClick={() => void save()}>Save new version</button>
              <button type="button" data-testid="skill-test" onClick={() => void skillsActions.test(selected.name)}>Test on a fresh seed</button>
              {state.confirmingDelete ? (
                <>
                  <button type="button" className="danger" data-testid="skill-delete-confirm" onClick={() => void skillsActions.remove(selected.name)}>Delete {selected.name} for good</button>
                  <button type="button" data-testid="skill-delete-cancel" onClick={() => dispatch({ type: 'cancel-delete' })}>Keep it</button>
                </>
              ) : (
                <button type="button" className="danger" data-testid="skill-delete" onClick={() => dispatch({ type: 'ask-delete' })}>Delete</button>
              )}
              {state.dirty && problem && <span className="error">{problem}</span>}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
