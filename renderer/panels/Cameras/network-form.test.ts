import { describe, expect, it } from 'vitest';
import { EMPTY_NETWORK_CAMERA_FORM, networkCameraRequest } from './network-form.ts';

describe('networkCameraRequest', () => {
  it('names the camera after its host when no name is given, and leaves out an empty calibration path', () => {
    expect(networkCameraRequest({ ...EMPTY_NETWORK_CAMERA_FORM, url: ' http://192.168.1.20:8080/stream.mjpg ' })).toEqual({
      ok: true,
      request: { url: 'http://192.168.1.20:8080/stream.mjpg', name: '192.168.1.20-8080' },
    });
    expect(networkCameraRequest({ url: 'https://cam.local/video', name: ' bench ', calibrationPath: ' /tmp/bench.json ' })).toEqual({
      ok: true,
      request: { url: 'https://cam.local/video', name: 'bench', calibrationPath: '/tmp/bench.json' },
    });
  });

  it('refuses what is not an http(s) URL', () => {
    expect(networkCameraRequest({ ...EMPTY_NETWORK_CAMERA_FORM, url: 'camera' })).toMatchObject({ ok: false, error: expect.stringContaining('stream URL') as string });
    expect(networkCameraRequest({ ...EMPTY_NETWORK_CAMERA_FORM, url: 'rtsp://10.0.0.2/live' })).toEqual({ ok: false, error: 'Camera URLs are http:// or https://, not rtsp://' });
  });
});
