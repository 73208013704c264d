/**
 * The host side of a Feetech STS bus on a serial port (1 Mbaud): ping, read, write, sync read,
 * sync write, with one transaction on the half-duplex bus at a time, a reply timeout, and
 * counters of comms errors. The e-stop path (`writeUrgent`) jumps the queue. Errors carry flags
 * (`timeout`, `disconnected`, `servoError`) rather than just text.
 */
import { SerialPort } from 'serialport';
import { BROADCAST_ID, encodeFrame, FrameParser, Instruction, type Frame, type ParseProblem } from './packet.ts';

/** Why a bus operation failed. */
export interface BusErrorFlags {
  readonly timeout?: boolean;
  readonly disconnected?: boolean;
  /** The status error byte a servo returned. */
  readonly servoError?: number;
  /** Servos that did not answer. */
  readonly missing?: readonly number[];
}

/** A failed bus operation. */
export class BusError extends Error {
  constructor(
    message: string,
    readonly flags: BusErrorFlags,
  ) {
    super(message);
    this.name = 'BusError';
  }
}

/** Counters for the health view. */
export interface BusStats {
  framesOut: number;
  framesIn: number;
  checksumErrors: number;
  garbageBytes: number;
  timeouts: number;
}

interface Expectation {
  readonly ids: readonly number[];
  readonly replies: Map<number, Frame>;
  readonly resolve: (replies: Map<number, Frame>) => void;
  readonly reject: (error: BusError) => void;
  readonly timer: NodeJS.Timeout;
}

/** One serial bus of STS servos. */
export class FeetechBus {
  readonly stats: BusStats = { framesOut: 0, framesIn: 0, checksumErrors: 0, garbageBytes: 0, timeouts: 0 };
  private readonly parser: FrameParser;
  private queue: Promise<unknown> = Promise.resolve();
  private expectation: Expectation | null = null;
  private disconnected = false;
  private readonly disconnectListeners = new Set<(reason: string) => void>();

  private constructor(
    private readonly port: SerialPort,
    private readonly timeoutMs: number,
    private readonly retries: number,
  ) {
    this.parser = new FrameParser((problem: ParseProblem) => {
      if (problem.kind === 'checksum') this.stats.checksumErrors += 1;
      else this.stats.garbageBytes += problem.bytes;
    });
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('close', () => this.onDisconnect('the serial port closed (cable pulled?)'));
    port.on('error', (error) => this.onDisconnect(`serial port error: ${error.message}`));
  }

  /**
   * Open a bus on a serial device. A transaction waits `timeoutMs` for its replies and is tried
   * `retries` more times before it fails (a servo answers within a millisecond; the margin is
   * for a busy host).
   */
  static async open(path: string, options: { baudRate?: number; timeoutMs?: number; retries?: number } = {}): Promise<FeetechBus> {
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path, baudRate: options.baudRate ?? 1_000_000 }, (error) =>
        error ? reject(new BusError(`cannot open ${path}: ${error.message}`, { disconnected: true })) : resolve(p),
      );
    });
    return new FeetechBus(port, options.timeoutMs ?? 50, options.retries ?? 1);
  }

  /** True once the port has closed or failed. */
  get isDisconnected(): boolean {
    return this.disconnected;
  }

  /** Be told when the port goes away. */
  onDisconnected(listener: (reason: string) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** True when the servo answers a ping. */
  async ping(id: number): Promise<boolean> {
    try {
      await this.transact(encodeFrame(id, Instruction.ping), [id]);
      return true;
    } catch (error) {
      if (error instanceof BusError && error.flags.timeout) return false;
      throw error;
    }
  }

  /** Read `length` bytes from `address` of one servo. */
  async read(id: number, address: number, length: number): Promise<Uint8Array> {
    const replies = await this.transact(encodeFrame(id, Instruction.read, [address, length]), [id]);
    return this.dataOf(replies.get(id)!, length);
  }

  /** Write bytes at `address` of one servo (broadcast: no reply awaited). */
  async write(id: number, address: number, data: ArrayLike<number>): Promise<void> {
    const frame = encodeFrame(id, Instruction.write, [address, ...Array.from(data)]);
    if (id === BROADCAST_ID) await this.transact(frame, []);
    else this.dataOf((await this.transact(frame, [id])).get(id)!, 0);
  }

  /** Write the same register block of several servos in one frame (no replies). */
  async syncWrite(address: number, length: number, entries: ReadonlyArray<readonly [number, ArrayLike<number>]>): Promise<void> {
    const params = [address, length];
    for (const [id, data] of entries) params.push(id, ...Array.from(data).slice(0, length));
    await this.transact(encodeFrame(BROADCAST_ID, Instruction.syncWrite, params), []);
  }

  /** Read the same register block of several servos; each answers in turn. */
  async syncRead(ids: readonly number[], address: number, length: number): Promise<Map<number, Uint8Array>> {
    const replies = await this.transact(encodeFrame(BROADCAST_ID, Instruction.syncRead, [address, length, ...ids]), ids);
    return new Map(ids.map((id) => [id, this.dataOf(replies.get(id)!, length)]));
  }

  /**
   * Write a frame now, ahead of any queued transaction (the e-stop). Resolves when the bytes
   * have been handed to the operating system.
   */
  writeUrgent(frame: Buffer): Promise<void> {
    if (this.disconnected) return Promise.reject(new BusError('the bus is disconnected', { disconnected: true }));
    this.stats.framesOut += 1;
    return new Promise((resolve, reject) =>
      this.port.write(frame, (error) => (error ? reject(new BusError(error.message, { disconnected: true })) : resolve())),
    );
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private dataOf(frame: Frame, length: number): Uint8Array {
    if (frame.command !== 0) {
      throw new BusError(`servo ${frame.id} reports error 0x${frame.command.toString(16)}`, { servoError: frame.command });
    }
    if (frame.params.length < length) throw new BusError(`servo ${frame.id} sent ${frame.params.length} bytes, expected ${length}`, {});
    return frame.params;
  }

  /** Queue a transaction: send the frame, collect one reply from each of `ids`. */
  private transact(frame: Buffer, ids: readonly number[]): Promise<Map<number, Frame>> {
    const run = async (): Promise<Map<number, Frame>> => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await this.exchange(frame, ids);
        } catch (error) {
          if (!(error instanceof BusError && error.flags.timeout) || attempt >= this.retries) throw error;
        }
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  private exchange(frame: Buffer, ids: readonly number[]): Promise<Map<number, Frame>> {
    if (this.disconnected) return Promise.reject(new BusError('the bus is disconnected', { disconnected: true }));
    return new Promise((resolve, reject) => {
      const replies = new Map<number, Frame>();
      if (ids.length > 0) {
        // Time for the replies on the wire plus the servos' turnaround, then give up.
        const timer = setTimeout(() => {
          this.expectation = null;
          this.stats.timeouts += 1;
          this.parser.reset();
          const missing = ids.filter((id) => !replies.has(id));
          reject(new BusError(`no reply from servo${missing.length > 1 ? 's' : ''} ${missing.join(', ')} within ${this.timeoutMs} ms`, { timeout: true, missing }));
        }, this.timeoutMs);
        this.expectation = { ids, replies, resolve, reject, timer };
      }
      this.stats.framesOut += 1;
      this.port.write(frame, (error) => {
        if (error) {
          this.settleWith(new BusError(`write failed: ${error.message}`, { disconnected: true }));
          if (ids.length === 0) reject(new BusError(`write failed: ${error.message}`, { disconnected: true }));
        } else if (ids.length === 0) {
          resolve(replies);
        }
      });
    });
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.parser.push(chunk)) {
      this.stats.framesIn += 1;
      const expectation = this.expectation;
      if (!expectation || !expectation.ids.includes(frame.id)) continue;
      expectation.replies.set(frame.id, frame);
      if (expectation.replies.size === expectation.ids.length) {
        clearTimeout(expectation.timer);
        this.expectation = null;
        expectation.resolve(expectation.replies);
      }
    }
  }

  private settleWith(error: BusError): void {
    const expectation = this.expectation;
    if (!expectation) return;
    clearTimeout(expectation.timer);
    this.expectation = null;
    expectation.reject(error);
  }

  private onDisconnect(reason: string): void {
    if (this.disconnected) return;
    this.disconnected = true;
    this.settleWith(new BusError(reason, { disconnected: true }));
    for (const listener of this.disconnectListeners) listener(reason);
  }
}
