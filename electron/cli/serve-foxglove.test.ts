// `caplab serve --foxglove-port`: the command prints the bridge's ws:// URL, the port answers a
// WebSocket upgrade with Foxglove's subprotocol, and Ctrl-C closes it with the console.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-serve-foxglove-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The subprotocol a WebSocket upgrade to `port` is answered with (null when refused). */
function upgradeProtocol(port: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'foxglove.websocket.v1' } });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(String(response.headers['sec-websocket-protocol'] ?? ''));
    });
    req.on('response', () => resolve(null));
    req.on('error', reject);
    req.end();
  });
}

describe('caplab serve --foxglove-port', () => {
  it('prints the bridge URL, answers Foxglove WebSocket upgrades there, and closes on Ctrl-C', async () => {
    const out = new PassThrough();
    let text = '';
    let interrupt: (() => void) | null = null;
    const printed = new Promise<number>((resolve) =>
      out.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /Foxglove WebSocket: ws:\/\/127\.0\.0\.1:(\d+)/.exec(text);
        if (match) resolve(Number(match[1]));
      }),
    );
    const exited = main(['serve', '--port', '0', '--foxglove-port', '0', '--db', join(dir, 'caplab.db')], { out, err: new PassThrough(), onInterrupt: (listener) => (interrupt = listener), offInterrupt: () => (interrupt = null) });
    const port = await printed;
    expect(await upgradeProtocol(port)).toBe('foxglove.websocket.v1');
    interrupt!();
    expect(await exited).toBe(0);
    await expect(upgradeProtocol(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses a port that is not a number', async () => {
    const err = new PassThrough();
    let text = '';
    err.on('data', (chunk: Buffer) => (text += chunk.toString()));
    expect(await main(['serve', '--foxglove-port', 'eighty'], { out: new PassThrough(), err, onInterrupt: () => {}, offInterrupt: () => {} })).toBe(2);
    expect(text).toContain('--foxglove-port');
  });
});
