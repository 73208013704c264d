/** Cameras: the simulated RGB, depth and segmentation images, network (MJPEG) cameras and a USB camera. */
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { z } from 'zod';
import type { CameraImages } from '../../../shared/ipc/contract.ts';
import { getCaplab } from '../../ipc/client.ts';
import { describeError } from '../../stores/errors.ts';
import { selectScene, useTwin } from '../../stores/twin.ts';
import { cameraSettingsReducer, INITIAL_CAMERA_SETTINGS } from './settings.ts';
import { NetworkCameras } from './NetworkCameras.tsx';
import { UsbCamera } from './UsbCamera.tsx';

const AUTO_REFRESH_MS = 2000;
const KINDS = [
  ['rgb', 'RGB', 'rgbPng'],
  ['depth', 'depth', 'depthPng'],
  ['segmentation', 'segmentation', 'segmentationPng'],
] as const;

export function CamerasPanel({ active }: { active: boolean }): React.JSX.Element {
  const scene = useTwin(selectScene);
  const [settings, dispatch] = useReducer(cameraSettingsReducer, INITIAL_CAMERA_SETTINGS);
  const [names, setNames] = useState<string[]>([]);
  const [images, setImages] = useState<z.output<typeof CameraImages> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    getCaplab().cameras.list({}).then(
      (listed) => {
        setNames(listed);
        dispatch({ type: 'cameras-listed', names: listed });
      },
      (reason: unknown) => setError(describeError(reason)),
    );
  }, [active, scene?.sceneId]);

  const render = useCallback(async () => {
    if (!settings.camera) return;
    setBusy(true);
    try {
      setImages(await getCaplab().cameras.render({ camera: settings.camera, widthPx: settings.widthPx, heightPx: settings.heightPx }));
      setError(null);
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  }, [settings.camera, settings.widthPx, settings.heightPx]);

  useEffect(() => {
    if (!active || !settings.autoRefresh) return undefined;
    const timer = setInterval(() => void render(), AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, settings.autoRefresh, render]);

  return (
    <div className="cameras-panel">
      <h2>Simulated cameras</h2>
      <div className="toolbar">
        <select data-testid="camera-select" value={settings.camera} onChange={(e) => dispatch({ type: 'camera', name: e.target.value })}>
          {names.length === 0 && <option value="">no cameras (load a workcell)</option>}
          {names.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
        <select data-testid="camera-size" value={settings.widthPx} onChange={(e) => dispatch({ type: 'size', widthPx: Number(e.target.value) })}>
          {[160, 320, 640].map((w) => <option key={w} value={w}>{w} × {(w / 4) * 3}</option>)}
        </select>
        <button type="button" data-testid="camera-render" disabled={!settings.camera || busy} onClick={() => void render()}>{busy ? 'Rendering…' : 'Render'}</button>
        <label><input type="checkbox" data-testid="camera-auto" checked={settings.autoRefresh} onChange={() => dispatch({ type: 'toggle-auto' })} /> refresh every 2 s</label>
      </div>
      {error && <p className="error" data-testid="camera-error">{error}</p>}
      <div className="camera-images">
        {images &&
          KINDS.map(([kind, label, field]) => (
            <figure key={kind}>
              <img data-testid="camera-image" data-camera={images.camera} data-kind={kind} src={images[field]} width={images.widthPx} height={images.heightPx} alt={`${images.camera} ${label}`} />
              <figcaption>{label}{kind === 'depth' ? ` (${images.depthRangeM[0].toFixed(2)}–${images.depthRangeM[1].toFixed(2)} m)` : ''}</figcaption>
            </figure>
          ))}
      </div>
      <h2>Network cameras</h2>
      <NetworkCameras active={active} />
      <h2>USB camera</h2>
      {active ? <UsbCamera deviceId={settings.usbDeviceId} onDevice={(deviceId) => dispatch({ type: 'usb-device', deviceId })} /> : <p className="muted">…</p>}
    </div>
  );
}
