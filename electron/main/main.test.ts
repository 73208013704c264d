/** The main process's contract registration and window hardening, without an Electron binary. */
import { describe, expect, it } from 'vitest';
import { CALL_CHANNELS } from '../../shared/ipc/contract.ts';
import type { Dispatch } from '../../shared/ipc/dispatch.ts';
import { registerContractHandlers } from './ipc.ts';
import { contentSecurityPolicy, isAllowedNavigation, isAllowedPermission, isAllowedRequest } from './window.ts';

const ORIGIN = 'http://127.0.0.1:41234';

describe('main-process IPC registration', () => {
  it('handles every request channel of the contract, and unregisters them all', async () => {
    const handled = new Map<string, unknown>();
    const seen: string[] = [];
    const dispatch: Dispatch = async (channel) => {
      seen.push(channel);
      return { ok: true, value: channel };
    };
    const unregister = registerContractHandlers({ handle: (c, l) => handled.set(c, l), removeHandler: (c) => handled.delete(c) }, dispatch, ORIGIN);
    expect([...handled.keys()].sort()).toEqual(CALL_CHANNELS.map((c) => c.channel).sort());
    expect(handled.size).toBeGreaterThan(20);
    const stop = handled.get('caplab:safety:stop') as (event: unknown, payload: unknown) => Promise<unknown>;
    await expect(stop({ senderFrame: { url: `${ORIGIN}/?token=x` } }, {})).resolves.toEqual({ ok: true, value: 'caplab:safety:stop' });
    await expect(stop({ senderFrame: null }, {})).resolves.toMatchObject({ ok: false, error: { code: 'not_available' } });
    expect(seen).toEqual(['caplab:safety:stop']);
    unregister();
    expect(handled.size).toBe(0);
  });
});

describe('window hardening', () => {
  it('sends a strict CSP: scripts from self only, connections only to the loopback origin', () => {
    const csp = contentSecurityPolicy(ORIGIN);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:41234;`);
    expect(csp).toContain("object-src 'none'");
  });

  it('allows navigation and requests only to the console origin', () => {
    expect(isAllowedNavigation(`${ORIGIN}/?token=a&panel=runs`, ORIGIN)).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:41235/', ORIGIN)).toBe(false);
    expect(isAllowedNavigation('https://example.com/', ORIGIN)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', ORIGIN)).toBe(false);
    expect(isAllowedNavigation('not a url', ORIGIN)).toBe(false);
    expect(isAllowedRequest(`${ORIGIN}/main.js`, ORIGIN)).toBe(true);
    expect(isAllowedRequest('ws://127.0.0.1:41234/ws?token=a', ORIGIN)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', ORIGIN)).toBe(true);
    expect(isAllowedRequest('https://fonts.example.com/a.woff', ORIGIN)).toBe(false);
    expect(isAllowedRequest('ws://127.0.0.1:9999/', ORIGIN)).toBe(false);
  });

  it('grants only the camera, only to the console page', () => {
    expect(isAllowedPermission('media', `${ORIGIN}/`, ORIGIN)).toBe(true);
    expect(isAllowedPermission('media', 'https://example.com/', ORIGIN)).toBe(false);
    expect(isAllowedPermission('geolocation', `${ORIGIN}/`, ORIGIN)).toBe(false);
  });
});
