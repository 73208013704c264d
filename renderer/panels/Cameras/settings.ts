/** The Cameras panel's settings reducer and the operator's words for camera errors. */
import type { CameraSettings, CameraSettingsAction } from './types.ts';

/** Defaults: 320 × 240. */
export const INITIAL_CAMERA_SETTINGS: CameraSettings = { camera: '', widthPx: 320, heightPx: 240, autoRefresh: false, usbDeviceId: '' };

/** Apply one edit; sizes keep 4:3 within what the contract accepts (16–1280 px). */
export function cameraSettingsReducer(settings: CameraSettings, action: CameraSettingsAction): CameraSettings {
  switch (action.type) {
    case 'cameras-listed':
      return action.names.includes(settings.camera) ? settings : { ...settings, camera: action.names[0] ?? '' };
    case 'camera':
      return { ...settings, camera: action.name };
    case 'size': {
      const widthPx = Math.min(1280, Math.max(64, Math.round(action.widthPx / 4) * 4));
      return { ...settings, widthPx, heightPx: (widthPx / 4) * 3 };
    }
    case 'toggle-auto':
      return { ...settings, autoRefresh: !settings.autoRefresh };
    case 'usb-device':
      return { ...settings, usbDeviceId: action.deviceId };
  }
}

/** What to tell the operator when `getUserMedia` fails (by the DOMException's name). */
export function describeCameraError(name: string, message = ''): string {
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'No camera found: plug a USB camera in and press Refresh.';
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was refused: allow it for this page and try again.';
    case 'NotReadableError':
      return 'The camera is busy (another program is using it).';
    case 'unsupported':
      return 'This browser gives no camera access here (it needs a secure context such as localhost).';
    default:
      return `The camera could not start: ${name}${message ? ` — ${message}` : ''}`;
  }
}
