/**
 * A half-duplex serial bus of servos, protocol-agnostic: one transaction at a time (a request
 * frame, then one reply from each addressed servo), a reply timeout with retries, counters of
 * comms errors, an urgent write that jumps the queue (the e-stop), and disconnect detection. A
 * command queued before an urgent write is not sent after it: the e-stop's torque off is the
 * last word until something new is asked (a torque-on queued behind it would undo it).
 * Errors carry flags (`timeout`, `disconnected`, `servoError`) and a device error code rather
 * than just text. The Feetech and Dynamixel buses are thin layers over it.
 */
import { DeviceError, type DeviceErrorCode, type DeviceErrorDetails } from '../../shared/errors.ts';
import { openSerialLink, type ByteLink } from './link.ts';

/** Why a bus operation failed. */
export interface BusErrorFlags {
  readonly timeout?: boolean;
  readonly disconnected?: boolean;
  /** The status error byte a servo returned. */
  readonly servoError?: number;
  /** Servos that did not answer. */
  readonly missing?: readonly number[];
  /** A command to the servos not sent: an urgent write (the e-stop) went out after it was queued. */
  readonly overtaken?: boolean;
}

/**
 * A failed bus operation. Its device error code follows from the flags unless given (a port that
 * did not open says why: `not_found`, `refused`, `io`): `disconnected`; a timeout is servos that
 * did not answer (`no_response`); anything else, a servo's error status or a malformed reply, `io`.
 */
export class BusError extends DeviceError {
  constructor(
    message: string,
    readonly flags: BusErrorFlags,
    details: DeviceErrorDetails & { readonly code?: DeviceErrorCode } = {},
  ) {
    super(details.code ?? (flags.disconnected ? 'disconnected' : flags.timeout ? 'no_response' : 'io'), message, details);
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
  /** Replies that did not fit the transaction waiting (late answers to an earlier, timed-out try). */
  strayReplies: number;
}

/** What the bus needs to know about a protocol. */
export interface BusProtocol<P> {
  /** A stream parser that reports garbage and checksum failures. */
  createParser(onProblem: (problem: { kind: 'garbage'; bytes: number } | { kind: 'checksum' | 'crc' }) => void): {
    push(chunk: Buffer): P[];
    reset(): void;
  };
  /** The servo a reply came from, or null when the packet is not a reply. */
  replyId(packet: P): number | null;
}

/** How many times a reply timeout is extended because the host, not the servo, was stalled. */
const MAX_STALL_EXTENSIONS = 3;

interface Expectation<P> {
  readonly ids: readonly number[];
  readonly accepts: (packet: P) => boolean;
  readonly replies: Map<number, P>;
  readonly resolve: (replies: Map<number, P>) => void;
  readonly reject: (error: BusError) => void;
  /** The reply timeout; null for a frame that expects no reply (settled by its write). */
  timer: NodeJS.Timeout | null;
}

/** Options of a serial bus. */
export interface SerialBusOptions {
  readonly baudRate?: number;
  /** How long a transaction waits for its replies, ms. */
  readonly timeoutMs?: number;
  /** How many more times a timed-out transaction is tried. */
  readonly retries?: number;
}

/**
 * The reply timeout when the caller gives none, ms: `CAPLAB_SERIAL_TIMEOUT_MS`, else 50. Raise it
 * for slow USB adapters, or where the device end shares a heavily loaded machine (emulators over
 * socat in tests).
 */
export function defaultTimeoutMs(): number {
  const value = Number(process.env['CAPLAB_SERIAL_TIMEOUT_MS']);
  return Number.isFinite(value) && value > 0 ? value : 50;
}

/** One serial bus. */
export class SerialBus<P> {
  readonly stats: BusStats = { framesOut: 0, framesIn: 0, checksumErrors: 0, garbageBytes: 0, timeouts: 0, strayReplies: 0 };
  private readonly parser: { push(chunk: Buffer): P[]; reset(): void };
  private queue: Promise<unknown> = Promise.resolve();
  private expectation: Expectation<P> | null = null;
  private disconnected = false;
  /** Urgent writes so far: a command queued before the latest is dropped (`transact`'s `command`). */
  private urgentWrites = 0;
  private readonly disconnectListeners = new Set<(reason: string) => void>();

  private constructor(
    private readonly port: ByteLink,
    private readonly protocol: BusProtocol<P>,
    private readonly timeoutMs: number,
    private readonly retries: number,
  ) {
    this.parser = protocol.createParser((problem) => {
      if (problem.kind === 'garbage') this.stats.garbageBytes += problem.bytes;
      else this.stats.checksumErrors += 1;
    });
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('close', () => this.onDisconnect('the serial port closed (cable pulled?)'));
    port.on('error', (error) => this.onDisconnect(`serial port error: ${error.message}`));
  }

  /**
   * Open a bus on a serial device. A servo answers within a millisecond; the default 50 ms
   * timeout (`defaultTimeoutMs()`) and one retry leave margin for a busy host.
   */
  static async open<P>(path: string | ByteLink, protocol: BusProtocol<P>, options: SerialBusOptions = {}): Promise<SerialBus<P>> {
    const link =
      typeof path === 'string'
        ? await openSerialLink(path, options.baudRate).catch((error: DeviceError) => {
            throw new BusError(error.message, { disconnected: true }, { code: error.code, systemCode: error.systemCode, cause: error });
          })
        : path;
    return new SerialBus(link, protocol, options.timeoutMs ?? defaultTimeoutMs(), options.retries ?? 1);
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

  /**
   * Queue a transaction: send the frame, collect one reply from each of `ids` (none: just send).
   * `accepts` tells a reply to this frame from a late one to an earlier frame that timed out
   * (e.g. by its data length); a reply it rejects is counted and ignored. A `command` (a write to
   * the servos' registers) that an urgent write overtook in the queue is not sent: it rejects with
   * the `overtaken` flag.
   */
  transact(frame: Buffer, ids: readonly number[], accepts: (packet: P) => boolean = () => true, command = false): Promise<Map<number, P>> {
    const queuedAfter = this.urgentWrites;
    const run = async (): Promise<Map<number, P>> => {
      for (let attempt = 0; ; attempt += 1) {
        // Checked before every try: a retry after a timeout is sent after the e-stop too.
        if (command && this.urgentWrites !== queuedAfter) throw new BusError('not sent: the arm was stopped (torque off) after this command was queued', { overtaken: true });
        try {
          return await this.exchange(frame, ids, accepts);
        } catch (error) {
          if (!(error instanceof BusError && error.flags.timeout) || attempt >= this.retries) throw error;
        }
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Write a frame now, ahead of any queued transaction (the e-stop). Resolves when the bytes
   * have been handed to the operating system.
   */
  writeUrgent(frame: Buffer): Promise<void> {
    this.noticeClosedPort();
    if (this.disconnected) return Promise.reject(new BusError('the bus is disconnected', { disconnected: true }));
    this.urgentWrites += 1;
    this.stats.framesOut += 1;
    return new Promise((resolve, reject) =>
      this.port.write(frame, (error) => (error ? reject(new BusError(error.message, { disconnected: true })) : resolve())),
    );
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  /**
   * One frame out and its replies in. Every transaction, including a frame that expects no
   * reply, is the bus's pending expectation until it settles, so a disconnect rejects it: a
   * serial port that starts closing (serialport's read side saw the cable go) may never call
   * back a write issued meanwhile, and a move waiting on that write would wait forever.
   */
  private exchange(frame: Buffer, ids: readonly number[], accepts: (packet: P) => boolean): Promise<Map<number, P>> {
    this.noticeClosedPort();
    if (this.disconnected) return Promise.reject(new BusError('the bus is disconnected', { disconnected: true }));
    return new Promise((resolve, reject) => {
      const replies = new Map<number, P>();
      const giveUp = (): void => {
        this.expectation = null;
        this.stats.timeouts += 1;
        this.parser.reset();
        const missing = ids.filter((id) => !replies.has(id));
        reject(new BusError(`no reply from servo${missing.length > 1 ? 's' : ''} ${missing.join(', ')} within ${this.timeoutMs} ms`, { timeout: true, missing }));
      };
      // Time for the replies on the wire plus the servos' turnaround, then give up — unless this
      // process itself was stalled (the timer fired late): replies that arrived meanwhile are
      // still waiting to be read, so the servos get another period.
      const arm = (extensions: number): NodeJS.Timeout => {
        const dueAtMs = performance.now() + this.timeoutMs;
        return setTimeout(() => {
          const stalled = performance.now() - dueAtMs > Math.max(5, this.timeoutMs / 5);
          if (stalled && extensions < MAX_STALL_EXTENSIONS) expectation.timer = arm(extensions + 1);
          else giveUp();
        }, this.timeoutMs);
      };
      const timer = ids.length === 0 ? null : arm(0);
      const expectation: Expectation<P> = { ids, accepts, replies, resolve, reject, timer };
      this.expectation = expectation;
      this.stats.framesOut += 1;
      this.port.write(frame, (error) => {
        if (error) {
          // A write that fails means the device is gone (cable pulled): say so to everyone.
          this.settleWith(new BusError(`write failed: ${error.message}`, { disconnected: true }));
          this.onDisconnect(`the serial port failed to write (${error.message}; cable pulled?)`);
        } else if (ids.length === 0 && this.expectation === expectation) {
          this.expectation = null;
          resolve(replies);
        }
      });
    });
  }

  /** A port that is closing or closed is a disconnect, even before its 'close' event. */
  private noticeClosedPort(): void {
    if (!this.disconnected && !this.port.isOpen) this.onDisconnect('the serial port closed (cable pulled?)');
  }

  private onData(chunk: Buffer): void {
    for (const packet of this.parser.push(chunk)) {
      this.stats.framesIn += 1;
      const id = this.protocol.replyId(packet);
      const expectation = this.expectation;
      if (id === null || !expectation || !expectation.ids.includes(id)) continue;
      if (!expectation.accepts(packet)) {
        this.stats.strayReplies += 1;
        continue;
      }
      expectation.replies.set(id, packet);
      if (expectation.replies.size === expectation.ids.length) {
        if (expectation.timer) clearTimeout(expectation.timer);
        this.expectation = null;
        expectation.resolve(expectation.replies);
      }
    }
  }

  private settleWith(error: BusError): void {
    const expectation = this.expectation;
    if (!expectation) return;
    if (expectation.timer) clearTimeout(expectation.timer);
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
