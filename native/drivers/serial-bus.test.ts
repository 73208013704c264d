// The generic bus against a link that behaves like serialport's stream while a pulled cable is
// being noticed: the port reports not-open at once, its 'close' event comes later, and a write
// issued in between is never called back (serialport queues it until an 'open' that never comes).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ByteLink } from './link.ts';
import { SerialBus, type BusProtocol } from './serial-bus.ts';

class ClosingLink extends EventEmitter implements ByteLink {
  open = true;
  /** Write callbacks the port has not called yet. */
  readonly unanswered: Array<() => void> = [];

  get isOpen(): boolean {
    return this.open;
  }

  write(_data: Buffer, callback?: (error: Error | null | undefined) => void): boolean {
    if (this.open) setImmediate(() => callback?.(null));
    else if (callback) this.unanswered.push(() => callback(null));
    return true;
  }

  /** The read side saw the cable go: closing starts now, 'close' follows later. */
  startClosing(): void {
    this.open = false;
  }

  close(callback?: (error?: Error | null) => void): void {
    this.open = false;
    setImmediate(() => this.emit('close'));
    callback?.(null);
  }
}

const BYTES: BusProtocol<number> = {
  createParser: () => ({ push: (chunk) => [...chunk], reset: () => {} }),
  replyId: (byte) => byte,
};

describe('SerialBus when the cable is pulled', () => {
  it('fails a frame written while the port is closing instead of waiting for its write forever', async () => {
    const link = new ClosingLink();
    const bus = await SerialBus.open(link, BYTES);
    await bus.transact(Buffer.from([1]), []);
    link.startClosing();
    await expect(bus.transact(Buffer.from([2]), [])).rejects.toMatchObject({ flags: { disconnected: true } });
    expect(bus.isDisconnected).toBe(true);
    await expect(bus.writeUrgent(Buffer.from([3]))).rejects.toMatchObject({ flags: { disconnected: true } });
  });

  it('fails a frame whose write is still pending when the port closes', async () => {
    const link = new ClosingLink();
    const bus = await SerialBus.open(link, BYTES);
    const reasons: string[] = [];
    bus.onDisconnected((reason) => reasons.push(reason));
    // The write goes out just as the port starts closing: its callback never comes.
    const write = link.write.bind(link);
    link.write = (data, callback) => {
      link.startClosing();
      setImmediate(() => link.emit('close'));
      return write(data, callback);
    };
    const pending = bus.transact(Buffer.from([4]), []);
    await expect(pending).rejects.toMatchObject({ flags: { disconnected: true }, message: expect.stringContaining('cable pulled') });
    expect(reasons).toHaveLength(1);
    expect(link.unanswered).toHaveLength(1);
  });
});

/** A link whose device answers every frame with `answer(frame)` a little later. */
class AnsweringLink extends ClosingLink {
  constructor(private readonly answer: (frame: Buffer) => Buffer[]) {
    super();
  }

  override write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean {
    // The reply reaches the process's read side one turn of the event loop after its timer.
    setTimeout(() => setImmediate(() => this.answer(data).forEach((reply) => this.emit('data', reply))), 1);
    return super.write(data, callback);
  }
}

/** Each chunk is one packet; its first byte is the servo id, the rest its data. */
const CHUNKS: BusProtocol<Buffer> = {
  createParser: () => ({ push: (chunk) => [chunk], reset: () => {} }),
  replyId: (packet) => packet[0]!,
};

describe('SerialBus replies', () => {
  it('ignores a late reply to an earlier frame that does not fit the frame waiting, and counts it', async () => {
    const link = new AnsweringLink(() => [Buffer.from([1]), Buffer.from([1, 42])]);
    const bus = await SerialBus.open(link, CHUNKS);
    const replies = await bus.transact(Buffer.from([0]), [1], (packet) => packet.length === 2);
    expect([...replies.get(1)!]).toEqual([1, 42]);
    expect(bus.stats.strayReplies).toBe(1);
  });

  it('does not time out a servo while this process was stalled with its reply waiting', async () => {
    const link = new AnsweringLink(() => [Buffer.from([3, 7])]);
    const bus = await SerialBus.open(link, CHUNKS, { timeoutMs: 20, retries: 0 });
    const reply = bus.transact(Buffer.from([0]), [3]);
    // The process stalls (another busy process had the CPU) past the reply timeout.
    await new Promise((resolve) => setImmediate(resolve));
    const until = performance.now() + 80;
    while (performance.now() < until);
    expect([...(await reply).get(3)!]).toEqual([3, 7]);
    expect(bus.stats.timeouts).toBe(0);
  });

  it('still times out a servo that does not answer', async () => {
    const link = new AnsweringLink(() => []);
    const bus = await SerialBus.open(link, CHUNKS, { timeoutMs: 20, retries: 0 });
    await expect(bus.transact(Buffer.from([0]), [5])).rejects.toMatchObject({ flags: { timeout: true, missing: [5] } });
  });
});
