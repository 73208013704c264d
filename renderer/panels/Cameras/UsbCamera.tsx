/** A USB camera through `getUserMedia`, with a device picker and clear "no camera" messages. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeCameraError } from './settings.ts';

export function UsbCamera({ deviceId, onDevice }: { deviceId: string; onDevice: (id: string) => void }): React.JSX.Element {
  const video = useRef<HTMLVideoElement>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    if (!navigator.mediaDevices?.enumerateDevices) return setMessage(describeCameraError('unsupported'));
    const found = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    setDevices(found);
    setMessage(found.length === 0 ? describeCameraError('NotFoundError') : null);
  }, []);

  useEffect(() => void refresh().catch((error: unknown) => setMessage(describeCameraError('unknown', String(error)))), [refresh]);
  useEffect(() => () => stream?.getTracks().forEach((track) => track.stop()), [stream]);

  const start = async (): Promise<void> => {
    if (!navigator.mediaDevices?.getUserMedia) return setMessage(describeCameraError('unsupported'));
    try {
      const opened = await navigator.mediaDevices.getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId } } : true, audio: false });
      setStream(opened);
      setMessage(null);
      if (video.current) video.current.srcObject = opened;
      await refresh(); // labels appear once permission is given
    } catch (error) {
      const { name, message: text } = error instanceof Error ? error : { name: 'unknown', message: String(error) };
      setMessage(describeCameraError(name, text));
    }
  };
  const stop = (): void => {
    stream?.getTracks().forEach((track) => track.stop());
    setStream(null);
    if (video.current) video.current.srcObject = null;
  };

  return (
    <div className="usb-camera">
      <div className="toolbar">
        <select data-testid="usb-camera-select" value={deviceId} onChange={(e) => onDevice(e.target.value)}>
          <option value="">default camera</option>
          {devices.map((d, i) => <option key={d.deviceId || i} value={d.deviceId}>{d.label || `camera ${i + 1}`}</option>)}
        </select>
        <button type="button" data-testid="usb-camera-start" onClick={() => void start()} disabled={stream !== null}>Start</button>
        <button type="button" data-testid="usb-camera-stop" onClick={stop} disabled={stream === null}>Stop</button>
        <button type="button" data-testid="usb-camera-refresh" onClick={() => void refresh()}>Refresh</button>
      </div>
      {message && <p className="notice" data-testid="usb-camera-message">{message}</p>}
      <video ref={video} autoPlay muted playsInline className={stream ? 'camera-video' : 'camera-video empty'} data-testid="usb-camera-video" />
    </div>
  );
}
