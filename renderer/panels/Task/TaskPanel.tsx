/** Task: choose what to run, on which robot, by which agent, and watch the agent's turns. */
import { useEffect, useReducer, useState } from 'react';
import { liveRunActions, selectApproval, selectApprovalError, selectRunId, selectStartError, selectStarting, selectTurns, useLiveRun } from '../../stores/live-run.ts';
import { selectTasks, selectTasksError, useTasks } from '../../stores/tasks.ts';
import { SelectField } from '../../components/SelectField.tsx';
import { ModelInput } from '../../components/ModelInput.tsx';
import { INITIAL_TASK_FORM, taskFormReducer, taskRunRequest } from './form.ts';
import { AGENTS, ROBOTS, TIERS, type TaskForm } from './types.ts';
import { getCaplab } from '../../ipc/client.ts';
import { describeError } from '../../stores/errors.ts';

export function TaskPanel(): React.JSX.Element {
  const tasks = useTasks(selectTasks);
  const tasksError = useTasks(selectTasksError);
  const [form, dispatch] = useReducer(taskFormReducer, INITIAL_TASK_FORM);
  const [formError, setFormError] = useState<string | null>(null);
  const starting = useLiveRun(selectStarting);
  const startError = useLiveRun(selectStartError);
  const onArm = form.robot !== 'sim';
  const armCameras = useArmCameras(onArm);
  const camera = onArm ? form.camera : '';
  const armTasks = useArmTasks(form.robot, camera !== '');
  useEffect(() => dispatch({ type: 'tasks-loaded', taskIds: onArm ? armTasks.ids : tasks.map((t) => t.id) }), [tasks, armTasks, onArm]);
  const task = onArm ? undefined : tasks.find((t) => t.id === form.taskId);

  const start = (): void => {
    const checked = taskRunRequest(form);
    setFormError(checked.ok ? null : checked.error);
    if (checked.ok) void liveRunActions.start(checked.request);
  };

  return (
    <div className="task-panel">
      <ApprovalPrompt />
      <form className="form-grid" onSubmit={(e) => { e.preventDefault(); start(); }}>
        <label>
          Task
          <select data-testid="task-select" value={form.taskId} onChange={(e) => dispatch({ type: 'set', field: 'taskId', value: e.target.value })}>
            {onArm
              ? armTasks.ids.map((id) => <option key={id} value={id}>{id} — {form.robot} {camera ? 'camera' : 'expert'} program</option>)
              : tasks.map((t) => <option key={t.id} value={t.id}>{t.id} — {t.title}</option>)}
          </select>
        </label>
        <fieldset className="inline">
          <label><input type="radio" name="task-mode" data-testid="task-mode-bench" checked={form.mode === 'bench'} onChange={() => dispatch({ type: 'mode', value: 'bench' })} /> bench task</label>
          <label><input type="radio" name="task-mode" data-testid="task-mode-text" checked={form.mode === 'text'} onChange={() => dispatch({ type: 'mode', value: 'text' })} /> my own words</label>
        </fieldset>
        <label className="wide">
          Instruction
          <textarea
            data-testid="task-text"
            rows={3}
            placeholder={task?.instruction ?? 'Describe the task'}
            value={form.mode === 'text' ? form.text : (task?.instruction ?? '')}
            readOnly={form.mode !== 'text'}
            onChange={(e) => dispatch({ type: 'set', field: 'text', value: e.target.value })}
          />
        </label>
        <SelectField label="Robot" testId="robot-select" value={form.robot} options={ROBOTS} describe={(r) => (r === 'sim' ? 'sim workcell' : r)} onChange={(value) => dispatch({ type: 'robot', value })} />
        {onArm && (
          <label>
            Camera
            <select data-testid="arm-camera-select" value={form.camera} onFocus={armCameras.refresh} onChange={(e) => dispatch({ type: 'set', field: 'camera', value: e.target.value })}>
              <option value="">none (S1 programs)</option>
              {armCameras.names.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </label>
        )}
        <SelectField label="Agent" testId="agent-select" value={form.agent} options={onArm && !camera ? ['expert'] : AGENTS} onChange={(value) => dispatch({ type: 'agent', value })} />
        <label>
          Model
          <ModelInput testId="model-input" disabled={form.agent === 'expert'} value={form.model} onChange={(value) => dispatch({ type: 'set', field: 'model', value })} />
        </label>
        <SelectField label="Tier" testId="tier-select" value={form.tier} options={TIERS} onChange={(value) => dispatch({ type: 'tier', value })} />
        <label>
          Seed
          <input data-testid="seed-input" inputMode="numeric" value={form.seed} onChange={(e) => dispatch({ type: 'set', field: 'seed', value: e.target.value })} />
        </label>
        <div className="wide actions">
          <button type="submit" data-testid="run-start" className="primary" disabled={starting || (onArm ? armTasks.ids.length === 0 : tasks.length === 0)}>
            {starting ? 'Starting…' : 'Start'}
          </button>
          {onArm && (
            <span className="muted" data-testid="arm-run-note">
              {camera
                ? `each program rehearsed on a twin rebuilt from ${camera}, then the connected ${form.robot} once you approve — it moves only when armed; camera-judged`
                : `twin first, then the connected ${form.robot} — it moves only when armed`}
            </span>
          )}
          {task && <span className="muted">{task.workcell} · arms {task.arms.join(', ')} · {task.objects.length} objects · limit {task.timeLimitS} s</span>}
        </div>
        {(formError ?? startError ?? armTasks.error ?? tasksError) && <p className="error" data-testid="task-error" role="alert">{formError ?? startError ?? armTasks.error ?? tasksError}</p>}
      </form>
      <TurnList />
    </div>
  );
}

/** The question after a rehearsal that succeeded: move the real arm, or not. */
function ApprovalPrompt(): React.JSX.Element | null {
  const approval = useLiveRun(selectApproval);
  const runId = useLiveRun(selectRunId);
  const error = useLiveRun(selectApprovalError);
  if (!approval || approval.runId !== runId) return error ? <p className="error" role="alert">{error}</p> : null;
  return (
    <div className="approval" role="alertdialog" aria-label="Approve the real arm's run" data-testid="approval">
      <p>
        <strong>Rehearsed on the twin:</strong> <span data-testid="approval-rehearsal">{approval.rehearsal}</span>
      </p>
      <p>Move the real arm now?</p>
      <div className="actions">
        <button type="button" className="primary" data-testid="approve-run" onClick={() => void liveRunActions.answerApproval(true)}>Approve: move the arm</button>
        <button type="button" data-testid="decline-run" onClick={() => void liveRunActions.answerApproval(false)}>Decline</button>
      </div>
    </div>
  );
}

/** The console's calibrated network cameras (those with a hand-eye pose), read when a real arm is chosen and when the list is opened. */
function useArmCameras(onArm: boolean): { readonly names: readonly string[]; readonly refresh: () => void } {
  const [names, setNames] = useState<readonly string[]>([]);
  const refresh = (): void => {
    getCaplab()
      .cameras.network({})
      .then(
        (list) => setNames(list.filter((c) => c.cameraInBase !== null).map((c) => c.name)),
        () => setNames([]),
      );
  };
  useEffect(() => {
    if (onArm) refresh();
  }, [onArm]);
  return { names, refresh };
}

/** The tasks a real arm has programs for, without a camera (S1) or with one (empty for the sim workcell). */
function useArmTasks(robot: TaskForm['robot'], camera: boolean): { readonly ids: readonly string[]; readonly error: string | null } {
  const [state, setState] = useState<{ ids: readonly string[]; error: string | null }>({ ids: [], error: null });
  useEffect(() => {
    if (robot === 'sim') return setState({ ids: [], error: null });
    let current = true;
    getCaplab()
      .tasks.forArm({ robot, camera })
      .then(
        (list) => current && setState({ ids: list.map((t) => t.id), error: null }),
        (error: unknown) => current && setState({ ids: [], error: describeError(error) }),
      );
    return () => {
      current = false;
    };
  }, [robot, camera]);
  return state;
}

function TurnList(): React.JSX.Element {
  const turns = useLiveRun(selectTurns);
  if (turns.length === 0) return <p className="muted">The agent’s turns appear here as they stream in.</p>;
  return (
    <ol className="turns">
      {turns.map((turn) => (
        <li key={turn.turn} data-testid="agent-turn" data-turn={turn.turn} data-decision={turn.decision ?? ''}>
          <header>Turn {turn.turn}{turn.decision ? ` · ${turn.decision}` : ''}</header>
          {turn.program && <details open={turns.length === 1}><summary>program</summary><pre>{turn.program}</pre></details>}
          {turn.feedback && <details><summary>feedback</summary><pre>{turn.feedback}</pre></details>}
        </li>
      ))}
    </ol>
  );
}
