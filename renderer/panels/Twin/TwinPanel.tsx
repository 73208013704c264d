/**
 * Twin: the workcell in three.js, moved by the simulator's or the real robot's poses; or a
 * connected arm's URDF moved by its joint readings; plus URDF files the operator imports.
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import { TwinCanvas } from '../../components/TwinCanvas.tsx';
import { selectTasks, useTasks } from '../../stores/tasks.ts';
import { selectScene, selectTwinError, selectTwinLoading, twinActions, useTwin } from '../../stores/twin.ts';
import { armTwinActions, selectArmModel, selectArms, selectArmTwinError, selectArmTwinLoading, selectTwinSource, useArmTwin } from '../../stores/arm-twin.ts';
import { parseSource, sourceOptions, sourceValue, WORKCELL } from '../../twin/arm-joints.ts';
import { ArmTwin } from '../../twin/arm-twin.ts';
import { importUrdf, type UrdfRobot } from '../../twin/urdf.ts';
import type { TwinStats, TwinView } from '../../twin/twin-view.ts';
import { INITIAL_TWIN_SETTINGS, twinSettingsReducer } from './settings.ts';
import type { TwinSettings } from './types.ts';
import { UrdfSliders } from './UrdfSliders.tsx';

declare global {
  interface Window {
    /** Frame statistics of the live twin (read by the perf suite). */
    __caplabTwinStats?: TwinStats;
  }
}

const LAYERS: readonly [keyof TwinSettings, string][] = [
  ['frusta', 'camera frusta'],
  ['workspace', 'workspace box'],
  ['ghost', 'target ghost'],
];

export function TwinPanel({ active }: { active: boolean }): React.JSX.Element {
  const scene = useTwin(selectScene);
  const loading = useTwin(selectTwinLoading);
  const error = useTwin(selectTwinError);
  const tasks = useTasks(selectTasks);
  const [view, setView] = useState<TwinView | null>(null);
  const [settings, dispatch] = useReducer(twinSettingsReducer, INITIAL_TWIN_SETTINGS);
  const [taskId, setTaskId] = useState('');
  const [urdfMessage, setUrdfMessage] = useState<string | null>(null);
  const [imported, setImported] = useState<UrdfRobot | null>(null);
  const source = useArmTwin(selectTwinSource);
  const arms = useArmTwin(selectArms);
  const armModel = useArmTwin(selectArmModel);
  const armLoading = useArmTwin(selectArmTwinLoading);
  const armError = useArmTwin(selectArmTwinError);
  const jointsLine = useRef<HTMLSpanElement>(null);

  // The panel stays mounted once shown: it follows the connected arms from its first visit on.
  useEffect(() => armTwinActions.listen(), []);
  useEffect(() => armTwinActions.setWatching(active), [active]);
  useEffect(() => {
    if (!view || !armModel) return undefined;
    let arm: ArmTwin;
    try {
      arm = new ArmTwin(armModel, jointsLine.current);
    } catch (reason) {
      void armTwinActions.choose(WORKCELL, `the ${armModel.kind} model cannot be drawn: ${reason instanceof Error ? reason.message : String(reason)}`);
      return undefined;
    }
    view.setArm(arm, ArmTwin.viewpoint(armModel));
    const joints = useArmTwin.getState().joints;
    if (joints) arm.setJoints(joints.jointAnglesRad);
    const off = useArmTwin.subscribe((state, previous) => {
      if (state.joints && state.joints !== previous.joints) arm.setJoints(state.joints.jointAnglesRad);
    });
    return () => {
      off();
      view.setArm(null); // disposes the arm
    };
  }, [view, armModel]);

  useEffect(() => {
    if (!view) return undefined;
    window.__caplabTwinStats = view.stats;
    return () => {
      if (window.__caplabTwinStats === view.stats) delete window.__caplabTwinStats;
    };
  }, [view]);
  useEffect(() => view?.setScene(scene), [view, scene]);
  useEffect(() => view?.setLayers(settings), [view, settings]);
  useEffect(() => {
    if (!view) return undefined;
    const push = (poses: ReturnType<typeof useTwin.getState>['poses']): void => {
      if (poses) view.setPoses(poses.sceneId, poses.poses, poses.targets);
    };
    push(useTwin.getState().poses);
    return useTwin.subscribe((state, previous) => {
      if (state.poses !== previous.poses) push(state.poses);
    });
  }, [view]);

  const onUrdf = async (file: File | undefined): Promise<void> => {
    if (!file || !view) return;
    try {
      const result = importUrdf(await file.text());
      view.addExtra(result.robot);
      setImported(result.robot);
      setUrdfMessage(`${result.name}: ${result.links} links, ${result.joints} joints${result.skippedMeshes ? `, ${result.skippedMeshes} mesh visuals not drawn` : ''}`);
    } catch (reason) {
      setUrdfMessage(reason instanceof Error ? reason.message : String(reason));
    }
  };

  const chosen = taskId || scene?.taskId || tasks[0]?.id || '';
  const workcell = source.kind === 'workcell';
  const armName = source.kind === 'arm' ? (arms.find((a) => a.id === source.deviceId)?.name ?? source.deviceId) : '';
  return (
    <div className="twin-panel">
      <div className="toolbar">
        <select data-testid="twin-source" value={sourceValue(source)} onFocus={() => void armTwinActions.refresh()} onChange={(e) => void armTwinActions.choose(parseSource(e.target.value))}>
          {sourceOptions(arms).map((o) => <option key={o.value} value={o.value} disabled={o.disabled}>{o.label}</option>)}
        </select>
        {workcell && (
          <>
            <select data-testid="twin-task-select" value={chosen} onChange={(e) => setTaskId(e.target.value)}>
              {tasks.map((t) => <option key={t.id} value={t.id}>{t.id}</option>)}
            </select>
            <button type="button" data-testid="twin-load" disabled={!chosen || loading} onClick={() => void twinActions.load(chosen, 0)}>
              {loading ? 'Loading…' : 'Load workcell'}
            </button>
          </>
        )}
        {workcell && LAYERS.map(([layer, label]) => (
          <label key={layer}>
            <input type="checkbox" data-testid={`twin-layer-${layer}`} checked={settings[layer]} onChange={() => dispatch({ type: 'toggle', layer })} /> {label}
          </label>
        ))}
        <label className="file">
          Import URDF <input type="file" accept=".urdf,.xml" data-testid="twin-urdf-input" onChange={(e) => void onUrdf(e.target.files?.[0])} />
        </label>
        <button type="button" data-testid="twin-urdf-clear" onClick={() => { view?.clearExtras(); setUrdfMessage(null); setImported(null); }}>Clear imports</button>
      </div>
      <p className="muted" data-testid="twin-info">
        {workcell && (scene ? `${scene.workcell} · ${scene.taskId} · ${scene.bodies.length} bodies · ${scene.cameras.length} cameras` : 'No workcell loaded: load one, or start a run.')}
        {!workcell && (armLoading ? `Loading ${armName}…` : `${armName} · live joints (rad): `)}
        <span data-testid="twin-arm-joints" ref={jointsLine} hidden={workcell} />
        {urdfMessage && <span data-testid="twin-urdf-message"> · {urdfMessage}</span>}
      </p>
      {imported && <UrdfSliders key={imported.uuid} robot={imported} />}
      {error && workcell && <p className="error">{error}</p>}
      {armError && <p className="error" data-testid="twin-arm-error">{armError}</p>}
      <TwinCanvas active={active} testId="twin-canvas" onView={setView} />
    </div>
  );
}
