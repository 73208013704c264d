/** One connected arm: its state, alerts, and a row per servo or joint with out-of-range values marked. */
import { assessDevice, formatBus, formatCurrent, formatJointAngles, formatLoad, formatTemperature, formatVoltage } from './health.ts';
import type { Health } from './types.ts';

const markClass = (mark: string | null): string => (mark ? `mark mark-${mark}` : '');

export function HealthTable({ health, previous }: { health: Health; previous: Health | undefined }): React.JSX.Element {
  const assessment = assessDevice(health, previous);
  const serial = health.bus !== null;
  return (
    <div className="device-health" data-testid="device-health" data-device-id={health.deviceId} data-state={health.state} data-alerts={assessment.alerts.length}>
      <p className="muted">
        Joints: <span data-testid="device-joint-angles">{formatJointAngles(health.jointAnglesRad)}</span>
        {health.gripperWidthM !== null && ` · gripper ${(health.gripperWidthM * 1000).toFixed(0)} mm`}
        {health.controller && (
          <span data-testid="device-controller" data-robot-mode={health.controller.robotMode} data-safety-mode={health.controller.safetyMode}>
            {` · robot mode ${health.controller.robotMode} · safety mode ${health.controller.safetyMode}`}
          </span>
        )}
      </p>
      {assessment.alerts.length > 0 && (
        <ul className="device-alerts">
          {assessment.alerts.map((alert) => (
            <li key={alert} className="error" data-testid="device-alert">{alert}</li>
          ))}
        </ul>
      )}
      <table className="health-table">
        <thead>
          <tr>
            <th>{serial ? 'servo' : 'joint'}</th><th>name</th><th>temperature</th><th>voltage</th><th>{serial ? 'load' : 'current'}</th><th>comms errors</th>
          </tr>
        </thead>
        <tbody>
          {health.joints.map((joint, i) => {
            const marks = assessment.joints[i]!;
            return (
              <tr key={joint.id} data-testid="health-row" data-joint-id={joint.id} data-answering={String(joint.answering)}>
                <td>{joint.id}</td>
                <td>{joint.name}</td>
                <td className={markClass(marks.temperature)} data-testid="health-temperature" data-mark={marks.temperature ?? ''}>{formatTemperature(joint.temperatureC)}</td>
                <td className={markClass(marks.voltage)} data-testid="health-voltage" data-mark={marks.voltage ?? ''}>{formatVoltage(joint.voltageV)}</td>
                <td className={markClass(marks.load)} data-testid="health-load" data-mark={marks.load ?? ''}>{serial ? formatLoad(joint.load) : formatCurrent(joint.currentA)}</td>
                <td className={markClass(marks.comms)} data-testid="health-comms" data-mark={marks.comms ?? ''}>
                  {joint.commsErrors}
                  {marks.comms === 'silent' ? ' · not answering' : marks.comms === 'rising' ? ' · rising' : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {health.bus && (
        <p className={assessment.busErrorsRising ? 'mark mark-rising' : 'muted'} data-testid="device-bus" data-rising={String(assessment.busErrorsRising)}>
          Bus: {formatBus(health.bus)}
        </p>
      )}
      {health.message && health.state !== 'lost' && <p className="muted" data-testid="device-health-message">{health.message}</p>}
    </div>
  );
}
