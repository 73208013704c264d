/**
 * The top bar's arming: Arm is held for a second (it fills while held; letting go early arms
 * nothing), Disarm is one click, and the safety log opens below them. Where policies get no
 * sandbox, a warning says so (and whether arming is refused).
 */
import { useEffect, useRef, useState } from 'react';
import { selectSafety, useConnection } from '../stores/connection.ts';
import { ARM_HOLD_MS, safetyLogActions, selectArmingError, selectSafetyLog, useSafetyLog } from '../stores/safety-log.ts';

export function ArmControls(): React.JSX.Element {
  const safety = useConnection(selectSafety);
  const error = useSafetyLog(selectArmingError);
  const [holding, setHolding] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const release = (): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setHolding(false);
  };
  const press = (): void => {
    release();
    setHolding(true);
    timer.current = setTimeout(() => {
      timer.current = null;
      setHolding(false);
      void safetyLogActions.arm();
    }, ARM_HOLD_MS);
  };
  useEffect(() => release, []);
  const armed = safety?.armed === true;
  return (
    <div className="arm-area">
      <button
        type="button"
        className={`arm${holding ? ' holding' : ''}`}
        data-testid="arm"
        data-holding={String(holding)}
        disabled={armed || !safety}
        title={`Hold ${ARM_HOLD_MS / 1000} s to arm real robots`}
        style={{ ['--hold-ms' as string]: `${ARM_HOLD_MS}ms` }}
        onPointerDown={press}
        onPointerUp={release}
        onPointerLeave={release}
        onPointerCancel={release}
      >
        {holding ? 'Hold to arm…' : 'Arm (hold)'}
      </button>
      <button type="button" className="disarm" data-testid="disarm" disabled={!armed} title="Disarm: the next motion is refused, a motion in flight halts" onClick={() => void safetyLogActions.disarm()}>
        Disarm
      </button>
      <button type="button" className="safety-log-toggle" data-testid="safety-log-toggle" aria-expanded={logOpen} onClick={() => setLogOpen(!logOpen)}>
        Safety log
      </button>
      {safety?.sandbox?.kind === 'none' && (
        <span className="sandbox-warning" data-testid="sandbox-warning" title={safety.sandbox.detail}>
          No policy sandbox{safety.sandbox.armingAllowed ? ' — arming allowed (--unsandboxed)' : ' — arming refused'}
        </span>
      )}
      {error && <span className="arm-error" data-testid="arm-error">{error}</span>}
      {logOpen && <SafetyLogList />}
    </div>
  );
}

function SafetyLogList(): React.JSX.Element {
  const entries = useSafetyLog(selectSafetyLog);
  useEffect(() => void safetyLogActions.load(), []);
  return (
    <ol className="safety-log" data-testid="safety-log">
      {entries.map((e) => (
        <li key={e.id} data-testid="safety-log-entry" data-action={e.action}>
          <time>{e.at.replace('T', ' ').slice(0, 19)}</time> <b>{e.action}</b> {e.reason ?? ''} <span className="muted">({e.origin})</span>
        </li>
      ))}
      {entries.length === 0 && <li className="muted">No entries yet.</li>}
    </ol>
  );
}
