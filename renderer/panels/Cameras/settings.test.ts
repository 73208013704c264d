import { describe, expect, it } from 'vitest';
import { cameraSettingsReducer, describeCameraError, INITIAL_CAMERA_SETTINGS } from './settings.ts';

describe('camera settings', () => {
  it('picks the first camera when the list arrives and keeps a valid choice', () => {
    const listed = cameraSettingsReducer(INITIAL_CAMERA_SETTINGS, { type: 'cameras-listed', names: ['front', 'wrist'] });
    expect(listed.camera).toBe('front');
    const wrist = cameraSettingsReducer(listed, { type: 'camera', name: 'wrist' });
    expect(cameraSettingsReducer(wrist, { type: 'cameras-listed', names: ['front', 'wrist'] }).camera).toBe('wrist');
    expect(cameraSettingsReducer(wrist, { type: 'cameras-listed', names: [] }).camera).toBe('');
  });

  it('keeps sizes 4:3 and within bounds', () => {
    expect(cameraSettingsReducer(INITIAL_CAMERA_SETTINGS, { type: 'size', widthPx: 640 })).toMatchObject({ widthPx: 640, heightPx: 480 });
    expect(cameraSettingsReducer(INITIAL_CAMERA_SETTINGS, { type: 'size', widthPx: 5000 })).toMatchObject({ widthPx: 1280, heightPx: 960 });
    expect(cameraSettingsReducer(INITIAL_CAMERA_SETTINGS, { type: 'size', widthPx: 1 })).toMatchObject({ widthPx: 64, heightPx: 48 });
  });

  it('explains camera failures in the operator’s words', () => {
    expect(describeCameraError('NotFoundError')).toMatch(/No camera found/);
    expect(describeCameraError('NotAllowedError')).toMatch(/refused/);
    expect(describeCameraError('unsupported')).toMatch(/secure context/);
    expect(describeCameraError('AbortError', 'timeout')).toBe('The camera could not start: AbortError — timeout');
  });
});
