import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY_SERVER_FORM, policyServerRequest } from './form.ts';

describe('the policy-server form', () => {
  it('makes a request from a URL alone: OpenPI for ws://, DROID cameras, a name from the host', () => {
    expect(policyServerRequest({ ...EMPTY_POLICY_SERVER_FORM, url: 'ws://10.0.0.5:8000' })).toEqual({
      ok: true,
      request: {
        name: '10.0.0.5-8000',
        url: 'ws://10.0.0.5:8000',
        protocol: 'openpi-websocket',
        actionSpace: 'joint_position',
        controlHz: 30,
        cameras: [
          { camera: 'front', key: 'observation/exterior_image_1_left' },
          { camera: '{arm}_wrist', key: 'observation/wrist_image_left' },
        ],
      },
    });
  });

  it('takes the JSON variant, no cameras, a key; refuses what does not check', () => {
    const json = policyServerRequest({ ...EMPTY_POLICY_SERVER_FORM, name: 'bridge', url: 'http://127.0.0.1:8100', cameras: '', apiKey: ' k ' });
    expect(json).toMatchObject({ ok: true, request: { name: 'bridge', protocol: 'http-json', cameras: [], apiKey: 'k' } });
    expect(policyServerRequest({ ...EMPTY_POLICY_SERVER_FORM, url: 'ftp://x' })).toMatchObject({ ok: false, error: expect.stringMatching(/ws:\/\/host:port/) });
    expect(policyServerRequest({ ...EMPTY_POLICY_SERVER_FORM, url: 'ws://x:1', controlHz: '0' })).toMatchObject({ ok: false, error: expect.stringMatching(/1 to 500/) });
    expect(policyServerRequest({ ...EMPTY_POLICY_SERVER_FORM, url: 'ws://x:1', cameras: 'front' })).toMatchObject({ ok: false, error: expect.stringMatching(/camera=key pairs/) });
  });
});
