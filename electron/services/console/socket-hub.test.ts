import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../shared/ipc/contract.ts';
import type { Dispatch } from '../../../shared/ipc/dispatch.ts';
import { BACKPRESSURE_BYTES, SocketHub, TOO_SLOW_BYTES, type HubSocket } from './socket-hub.ts';

/** A socket whose writes complete only when the test says so. */
class FakeSocket implements HubSocket {
  bufferedAmount = 0;
  readyState = 1;
  readonly sent: Array<{ t: string; channel?: string; id?: number; payload?: unknown; ok?: boolean; error?: { code: string } }> = [];
  private readonly unwritten: Array<() => void> = [];
  private readonly listeners: Record<'message' | 'close', Array<(data: unknown) => void>> = { message: [], close: [] };

  send(data: string, callback: (error?: Error) => void): void {
    this.sent.push(JSON.parse(data));
    this.unwritten.push(callback);
  }

  on(event: 'message' | 'close', listener: (data: unknown) => void): void {
    this.listeners[event].push(listener);
  }

  receive(frame: unknown): void {
    for (const listener of this.listeners.message) listener(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The kernel took everything: buffers empty, write callbacks run. */
  drain(): void {
    this.bufferedAmount = 0;
    for (const callback of this.unwritten.splice(0)) callback();
  }

  close(): void {
    this.readyState = 3;
    for (const listener of this.listeners.close) listener(undefined);
  }
}

const poses = EVENTS.twin.poses;
const status = EVENTS.runs.status;
const frame = (seq: number): { sceneId: string; seq: number; timeS: number; poses: number[]; targets: [] } => ({ sceneId: 's', seq, timeS: seq / 60, poses: [], targets: [] });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function hubWith(dispatch: Dispatch = async () => ({ ok: true, value: null })): { hub: SocketHub; socket: FakeSocket } {
  const hub = new SocketHub(dispatch);
  const socket = new FakeSocket();
  hub.attach(socket);
  return { hub, socket };
}

describe('socket hub', () => {
  it('pushes only subscribed channels, until unsubscribed', async () => {
    const { hub, socket } = hubWith();
    hub.sink(status, { runId: 1 });
    socket.receive({ t: 'sub', channel: status.channel });
    await settle();
    hub.sink(status, { runId: 2 });
    socket.receive({ t: 'unsub', channel: status.channel });
    await settle();
    hub.sink(status, { runId: 3 });
    expect(socket.sent).toEqual([{ t: 'event', channel: status.channel, payload: { runId: 2 } }]);
  });

  it('keeps the newest frame of each camera while backed up, so one camera cannot crowd out another', async () => {
    const { hub, socket } = hubWith();
    const cameraFrames = EVENTS.cameras.frame;
    socket.receive({ t: 'sub', channel: cameraFrames.channel });
    await settle();
    const cameraFrame = (name: string, seq: number): object => ({ name, seq, jpegDataUrl: '', widthPx: 1, heightPx: 1, fps: 30 });
    const sentFrames = (): string[] => socket.sent.map((f) => f.payload as { name: string; seq: number }).map((p) => `${p.name} ${p.seq}`);
    hub.sink(cameraFrames, cameraFrame('left', 0));
    socket.bufferedAmount = BACKPRESSURE_BYTES + 1;
    for (let seq = 1; seq <= 20; seq += 1) hub.sink(cameraFrames, cameraFrame('left', seq));
    hub.sink(cameraFrames, cameraFrame('right', 5));
    for (let seq = 21; seq <= 30; seq += 1) hub.sink(cameraFrames, cameraFrame('left', seq));
    expect(sentFrames()).toEqual(['left 0']);
    socket.drain();
    expect(sentFrames()).toEqual(['left 0', 'left 30', 'right 5']);
  });

  it('says whether any page subscribed to a channel (camera frames are encoded only then)', async () => {
    const { hub, socket } = hubWith();
    const cameraFrames = EVENTS.cameras.frame.channel;
    expect(hub.subscribed(cameraFrames)).toBe(false);
    socket.receive({ t: 'sub', channel: cameraFrames });
    await settle();
    expect(hub.subscribed(cameraFrames)).toBe(true);
    expect(hub.subscribed(status.channel)).toBe(false);
    socket.close();
    expect(hub.subscribed(cameraFrames)).toBe(false);
  });

  it('keeps only the newest pose frame while the socket is backed up, never a queue', async () => {
    const { hub, socket } = hubWith();
    socket.receive({ t: 'sub', channel: poses.channel });
    socket.receive({ t: 'sub', channel: status.channel });
    await settle();
    hub.sink(poses, frame(1));
    socket.bufferedAmount = BACKPRESSURE_BYTES + 1;
    for (let seq = 2; seq <= 50; seq += 1) hub.sink(poses, frame(seq));
    hub.sink(status, { runId: 7 }); // ordinary pushes are never dropped
    expect(socket.sent.map((f) => f.channel)).toEqual([poses.channel, status.channel]);
    socket.drain();
    expect(socket.sent.map((f) => (f.channel === poses.channel ? (f.payload as { seq: number }).seq : f.channel))).toEqual([1, status.channel, 50]);
    hub.sink(poses, frame(51));
    expect((socket.sent.at(-1)!.payload as { seq: number }).seq).toBe(51);
  });

  it('answers calls by id, and malformed frames with invalid_request when they carry one', async () => {
    const { socket } = hubWith(async (channel, payload) => ({ ok: true, value: { channel, payload } }));
    socket.receive({ t: 'call', id: 4, channel: 'caplab:app:info', payload: {} });
    socket.receive('{"t":"call","id":5}');
    socket.receive('not json');
    await settle();
    expect([...socket.sent].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))).toEqual([
      { t: 'reply', id: 4, ok: true, value: { channel: 'caplab:app:info', payload: {} } },
      expect.objectContaining({ t: 'reply', id: 5, ok: false, error: expect.objectContaining({ code: 'invalid_request' }) }),
    ]);
  });

  it('closes a page that falls too far behind instead of queueing without end', async () => {
    const { hub, socket } = hubWith();
    socket.receive({ t: 'sub', channel: status.channel });
    await settle();
    socket.bufferedAmount = TOO_SLOW_BYTES + 1;
    hub.sink(status, { runId: 1 });
    expect(socket.sent).toEqual([]);
    expect(socket.readyState).toBe(3);
    expect(hub.size).toBe(0);
  });

  it('forgets a closed connection', async () => {
    const { hub, socket } = hubWith();
    expect(hub.size).toBe(1);
    socket.close();
    expect(hub.size).toBe(0);
  });
});
