/** Devices: serial ports (refresh, add by path, probe), UR by host, connect/disconnect, live health. */
import { useEffect, useReducer, useState } from 'react';
import {
  devicesActions,
  selectDevices,
  selectDevicesError,
  selectDevicesNotice,
  selectHealth,
  selectPending,
  selectPorts,
  selectPreviousHealth,
  selectProbes,
  useDevices,
} from '../../stores/devices.ts';
import { devicesFormReducer, INITIAL_DEVICES_FORM, portToAdd, urRequest } from './form.ts';
import { HealthTable } from './HealthTable.tsx';

export function DevicesPanel({ active }: { active: boolean }): React.JSX.Element {
  const ports = useDevices(selectPorts);
  const devices = useDevices(selectDevices);
  const health = useDevices(selectHealth);
  const previous = useDevices(selectPreviousHealth);
  const probes = useDevices(selectProbes);
  const pending = useDevices(selectPending);
  const error = useDevices(selectDevicesError);
  const notice = useDevices(selectDevicesNotice);
  const [form, dispatch] = useReducer(devicesFormReducer, INITIAL_DEVICES_FORM);
  const [formError, setFormError] = useState<string | null>(null);

  // The panel stays mounted once shown: it follows health from its first visit on.
  useEffect(() => devicesActions.listen(), []);
  useEffect(() => {
    if (active) void devicesActions.refresh();
  }, [active]);

  const addPort = async (): Promise<void> => {
    const checked = portToAdd(form);
    setFormError(checked.ok ? null : checked.error);
    if (checked.ok && (await devicesActions.addPort(checked.port))) dispatch({ type: 'clear', field: 'port' });
  };
  const connectUr = (): void => {
    const checked = urRequest(form);
    setFormError(checked.ok ? null : checked.error);
    if (checked.ok) void devicesActions.connect(checked.request);
  };
  const busy = (key: string): boolean => pending.includes(key);

  return (
    <div className="devices-panel">
      <div className="toolbar">
        <button type="button" data-testid="devices-refresh" disabled={busy('refresh')} onClick={() => void devicesActions.refresh()}>Refresh ports</button>
        <span className="muted" data-testid="devices-count">{ports.length} serial port{ports.length === 1 ? '' : 's'} · {devices.length} connected</span>
      </div>
      {(formError ?? error) && <p className="error" data-testid="devices-error">{formError ?? error}</p>}
      {notice && <p className="notice" data-testid="devices-notice">{notice}</p>}
      <table className="port-table" data-testid="devices-ports">
        <thead>
          <tr><th>serial port</th><th>found by</th><th>USB</th><th>in use by</th><th /></tr>
        </thead>
        <tbody>
          {ports.map((port) => (
            <tr key={port.path} data-testid="devices-port-row" data-port={port.path} data-device-id={port.deviceId ?? ''}>
              <td><code>{port.path}</code>{probes[port.path] && <div className="muted" data-testid="devices-probe-result">{probes[port.path]!.summary}</div>}</td>
              <td>{port.source}</td>
              <td>{port.vendorId ? `${port.vendorId}:${port.productId ?? '?'}` : '—'}{port.manufacturer ? ` ${port.manufacturer}` : ''}{port.serialNumber ? ` #${port.serialNumber}` : ''}</td>
              <td>{port.deviceId ?? '—'}</td>
              <td className="toolbar">
                <button type="button" data-testid="devices-probe" disabled={port.deviceId !== null || busy(port.path)} onClick={() => void devicesActions.probe(port.path)}>Probe</button>
                <button type="button" className="primary" data-testid="devices-connect-so101" disabled={port.deviceId !== null || busy(port.path)} onClick={() => void devicesActions.connect({ kind: 'so101', port: port.path })}>Connect SO-101</button>
                <button type="button" data-testid="devices-connect-omx" disabled={port.deviceId !== null || busy(port.path)} onClick={() => void devicesActions.connect({ kind: 'omx', port: port.path })}>Connect OpenMANIPULATOR-X</button>
              </td>
            </tr>
          ))}
          {ports.length === 0 && (
            <tr><td colSpan={5} className="muted">No serial ports found. Is the arm plugged in? On Linux, is the user in the dialout group? Type the path below if it has an unusual name.</td></tr>
          )}
        </tbody>
      </table>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); void addPort(); }}>
        <input data-testid="devices-port-input" placeholder="/dev/serial/by-id/… or COM3" value={form.port} onChange={(e) => dispatch({ type: 'set', field: 'port', value: e.target.value })} />
        <button type="submit" data-testid="devices-port-add">Add port</button>
      </form>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); connectUr(); }}>
        <input data-testid="devices-host-input" placeholder="UR controller host, e.g. 192.168.1.10" value={form.host} onChange={(e) => dispatch({ type: 'set', field: 'host', value: e.target.value })} />
        <button type="submit" className="primary" data-testid="devices-connect-ur" disabled={busy(form.host.trim().split(':')[0] ?? '')}>Connect UR5e</button>
      </form>
      <h3>Connected arms</h3>
      {devices.length === 0 && <p className="muted" data-testid="devices-none">No arm connected.</p>}
      {devices.map((device) => (
        <section key={device.id} className="device" data-testid="device" data-device-id={device.id} data-kind={device.kind} data-state={device.state}>
          <header className="toolbar">
            <strong>{device.name}</strong>
            <span className={device.state === 'lost' ? 'error' : 'muted'}>{device.state === 'lost' ? `lost: ${device.reason ?? 'connection dropped'}` : 'connected'}</span>
            <button type="button" data-testid="devices-disconnect" disabled={busy(device.id)} onClick={() => void devicesActions.disconnect(device.id)}>Disconnect</button>
          </header>
          {health[device.id] ? <HealthTable health={health[device.id]!} previous={previous[device.id]} /> : <p className="muted">Waiting for the first health reading…</p>}
        </section>
      ))}
    </div>
  );
}
