/**
 * Network (MJPEG) cameras: add by URL with an optional calibration file, live image, rate, faults;
 * on a calibrated camera, teach an object's colour by clicking it in the live image.
 */
import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { NetworkCameraStatus, TaughtColourView } from '../../../shared/ipc/contract.ts';
import {
  camerasActions,
  selectCameraFrame,
  selectCameraSnapshot,
  selectCamerasError,
  selectCamerasPending,
  selectNetworkCameras,
  selectTeachOutcome,
  useCameras,
} from '../../stores/cameras.ts';
import { EMPTY_NETWORK_CAMERA_FORM, networkCameraRequest, type NetworkCameraForm } from './network-form.ts';

type Status = z.output<typeof NetworkCameraStatus>;
type Taught = z.output<typeof TaughtColourView>;

/** The objects of the camera tasks on a real arm (cube-lift, cube-stack), offered while teaching; any lower_snake_case name is taken. */
const OBJECT_NAMES = ['cube', 'cube_red', 'cube_green'];

const formatVector = (values: readonly number[], digits: number): string => values.map((v) => v.toFixed(digits)).join(', ');

export function NetworkCameras({ active }: { active: boolean }): React.JSX.Element {
  const network = useCameras(selectNetworkCameras);
  const pending = useCameras(selectCamerasPending);
  const error = useCameras(selectCamerasError);
  const [form, setForm] = useState<NetworkCameraForm>(EMPTY_NETWORK_CAMERA_FORM);
  const [formError, setFormError] = useState<string | null>(null);

  // Frames and status flow only while the panel is shown.
  useEffect(() => (active ? camerasActions.listen() : undefined), [active]);

  const add = async (): Promise<void> => {
    const checked = networkCameraRequest(form);
    setFormError(checked.ok ? null : checked.error);
    if (checked.ok && (await camerasActions.add(checked.request))) setForm(EMPTY_NETWORK_CAMERA_FORM);
  };
  const field = (key: keyof NetworkCameraForm) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  return (
    <div className="network-cameras">
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <input data-testid="netcam-url" className="netcam-url" placeholder="http://192.168.1.20:8080/stream.mjpg" value={form.url} onChange={field('url')} />
        <input data-testid="netcam-name" placeholder="name (optional)" value={form.name} onChange={field('name')} />
        <input data-testid="netcam-calibration" placeholder="calibration JSON path (optional)" value={form.calibrationPath} onChange={field('calibrationPath')} />
        <button type="submit" className="primary" data-testid="netcam-add" disabled={pending.includes('add')}>{pending.includes('add') ? 'Connecting…' : 'Add camera'}</button>
      </form>
      {(formError ?? error) && <p className="error" data-testid="netcam-error">{formError ?? error}</p>}
      {network.length === 0 && <p className="muted" data-testid="netcam-none">No network cameras. Add one by the URL of its MJPEG stream.</p>}
      <div className="netcam-tiles">
        {network.map((status) => <NetworkCameraTile key={status.name} status={status} busy={pending.includes(status.name)} />)}
      </div>
    </div>
  );
}

const swatch = (rgb: readonly number[]): string => `rgb(${rgb.map((c) => Math.round(c * 255)).join(', ')})`;
const describeTaught = (c: Taught): string => `${c.object}: hue ${c.hueDeg.toFixed(0)}°, saturation ${c.saturation.toFixed(2)}, from ${c.pixels} px at (${c.atPx.join(', ')})`;

function NetworkCameraTile({ status, busy }: { status: Status; busy: boolean }): React.JSX.Element {
  const frame = useCameras(useMemo(() => selectCameraFrame(status.name), [status.name]));
  const snapshot = useCameras(useMemo(() => selectCameraSnapshot(status.name), [status.name]));
  const outcome = useCameras(useMemo(() => selectTeachOutcome(status.name), [status.name]));
  const teachingNow = useCameras((s) => s.pending.includes(`${status.name}:teach`));
  const [teach, setTeach] = useState(false);
  const [object, setObject] = useState('cube');
  const fault = status.lastError;
  // A click on the live image, in the pixels of the frame as the camera sends it.
  const teachAt = (e: React.MouseEvent<HTMLImageElement>): void => {
    if (!teach || teachingNow) return;
    const image = e.currentTarget;
    const box = image.getBoundingClientRect();
    const pixel = (at: number, size: number): number => Math.min(size - 1, Math.max(0, Math.floor(at * size)));
    const atPx: [number, number] = [pixel((e.clientX - box.left) / box.width, image.naturalWidth), pixel((e.clientY - box.top) / box.height, image.naturalHeight)];
    void camerasActions.teachColour(status.name, object.trim(), atPx);
  };
  return (
    <section className="netcam" data-testid="netcam" data-name={status.name} data-state={status.state} data-calibrated={String(status.calibrated)}>
      <header className="toolbar">
        <strong>{status.name}</strong>
        <span className={`netcam-state netcam-${status.state}`} data-testid="netcam-state">{status.state}</span>
        <span data-testid="netcam-fps">{status.fps.toFixed(1)} fps</span>
        <span className="muted">{status.frames} frames · {status.badFrames} bad · {status.reconnects} reconnects</span>
        {status.calibrated ? <span className="netcam-badge" data-testid="netcam-calibrated">calibrated</span> : <span className="muted" data-testid="netcam-uncalibrated">not calibrated</span>}
        <button type="button" data-testid="netcam-snapshot" disabled={!status.calibrated || busy} onClick={() => void camerasActions.snapshot(status.name)}>Undistorted snapshot</button>
        <button
          type="button"
          data-testid="netcam-teach"
          aria-pressed={teach}
          disabled={!status.coloursPath || Boolean(status.coloursProblem)}
          title={status.coloursPath ? 'Click an object in the live image to teach its colour as this camera sees it' : 'Add the camera with a calibration file to teach colours (they are kept beside it)'}
          onClick={() => setTeach(!teach)}
        >
          {teach ? 'Done teaching' : 'Teach colour'}
        </button>
        <button type="button" data-testid="netcam-remove" disabled={busy} onClick={() => void camerasActions.remove(status.name)}>Remove</button>
      </header>
      {teach && (
        <div className="toolbar netcam-teach" data-testid="netcam-teach-bar">
          <label>
            object <input data-testid="netcam-teach-object" list="netcam-objects" value={object} onChange={(e) => setObject(e.target.value)} />
          </label>
          <datalist id="netcam-objects">{OBJECT_NAMES.map((n) => <option key={n} value={n} />)}</datalist>
          <span className="muted">{teachingNow ? 'Learning…' : 'click the object in the live image, inside its face'}</span>
        </div>
      )}
      {outcome && (
        <p className={outcome.ok ? 'muted' : 'error'} data-testid="netcam-teach-message" data-ok={String(outcome.ok)}>
          {outcome.ok
            ? `Taught ${describeTaught(outcome.taught)}${outcome.replaced ? ` (was hue ${outcome.replaced.hueDeg.toFixed(0)}°)` : ''}.`
            : outcome.message}
          {outcome.ok && outcome.taught.lookalikes > 0 && ` ${outcome.taught.lookalikes} other patch${outcome.taught.lookalikes === 1 ? '' : 'es'} of this colour in view: perception may take ${outcome.taught.lookalikes === 1 ? 'it' : 'them'} for ${outcome.taught.object}.`}
        </p>
      )}
      {status.coloursProblem && <p className="error" data-testid="netcam-colours-problem">Taught colours not read: {status.coloursProblem}</p>}
      {status.colours.length > 0 && (
        <ul className="netcam-colours" data-testid="netcam-colours">
          {status.colours.map((c) => (
            <li key={c.object} data-testid="netcam-colour" data-object={c.object} data-hue={c.hueDeg}>
              <span className="netcam-swatch" style={{ background: swatch(c.rgb) }} />
              {describeTaught(c)}
              {c.lookalikes > 0 && <span className="muted"> · {c.lookalikes} lookalike{c.lookalikes === 1 ? '' : 's'}</span>}
              <button type="button" data-testid="netcam-forget" disabled={busy} onClick={() => void camerasActions.forgetColour(status.name, c.object)}>Forget</button>
            </li>
          ))}
        </ul>
      )}
      {status.colours.length > 0 && <p className="muted netcam-colours-file">Kept in <code>{status.coloursPath}</code>; runs that see through this camera use them.</p>}
      <div className="muted"><code>{status.url}</code></div>
      {status.cameraInBase && (
        <div className="muted" data-testid="netcam-pose">camera in robot base: position [{formatVector(status.cameraInBase.positionM, 3)}] m, quat wxyz [{formatVector(status.cameraInBase.quatWxyz, 3)}]</div>
      )}
      {status.calibrationProblem && <p className="error" data-testid="netcam-calibration-problem">Calibration not applied: {status.calibrationProblem}</p>}
      {fault && (
        <p className={status.state === 'streaming' ? 'muted' : 'error'} data-testid="netcam-fault" data-current={String(status.state !== 'streaming')}>
          {status.state === 'streaming' ? 'Recovered from: ' : ''}{fault.message}
        </p>
      )}
      <div className="camera-images">
        {frame ? (
          <figure className={status.state === 'streaming' ? undefined : 'netcam-stale'}>
            <img
              data-testid="netcam-image"
              data-seq={frame.seq}
              className={teach ? 'netcam-teaching' : undefined}
              src={frame.jpegDataUrl}
              width={frame.widthPx}
              height={frame.heightPx}
              alt={`${status.name} live`}
              onClick={teachAt}
            />
            <figcaption>{status.state === 'streaming' ? 'live' : 'last frame'} · frame {frame.seq} · {frame.widthPx}×{frame.heightPx}</figcaption>
          </figure>
        ) : (
          <p className="muted">Waiting for a frame…</p>
        )}
        {snapshot && (
          <figure>
            <img data-testid="netcam-snapshot-image" data-seq={snapshot.seq} src={snapshot.jpegDataUrl} width={snapshot.widthPx} height={snapshot.heightPx} alt={`${status.name} undistorted`} />
            <figcaption>undistorted · frame {snapshot.seq} · fx {snapshot.intrinsics.fx.toFixed(1)} cx {snapshot.intrinsics.cx.toFixed(1)}</figcaption>
          </figure>
        )}
      </div>
    </section>
  );
}
