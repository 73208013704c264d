/**
 * A hardware e-stop button box on a serial port (a microcontroller wired to a mushroom button).
 * While the button is released the box sends `H` at least every 100 ms; pressing it sends `E`.
 * A missing heartbeat (cable pulled, box reset, port closed) counts as pressed: the stop must
 * fail safe. Releasing the button does not clear the latch; the operator does, in the console.
 */
import { openSerialLink, type ByteLink } from './link.ts';

const HEARTBEAT = 0x48; // 'H'
const PRESSED = 0x45; // 'E'

/** The e-stop input line. */
export class EstopInput {
  private readonly listeners = new Set<(reason: string) => void>();
  private watchdog: NodeJS.Timeout | null = null;
  private triggered: string | null = null;

  private constructor(
    private readonly link: ByteLink,
    private readonly heartbeatTimeoutMs: number,
  ) {
    link.on('data', (chunk: Buffer) => {
      if (chunk.includes(PRESSED)) this.trigger('the e-stop button was pressed');
      else if (chunk.includes(HEARTBEAT)) this.arm();
    });
    link.on('close', () => this.trigger('the e-stop box disconnected'));
    link.on('error', () => this.trigger('the e-stop box failed'));
    this.arm();
  }

  /** Open the box's serial port (or an in-memory link). */
  static async open(path: string | ByteLink, options: { heartbeatTimeoutMs?: number; baudRate?: number } = {}): Promise<EstopInput> {
    const link = typeof path === 'string' ? await openSerialLink(path, options.baudRate ?? 115_200) : path;
    return new EstopInput(link, options.heartbeatTimeoutMs ?? 250);
  }

  /** Why the stop fired, or null while all is well. */
  get stopReason(): string | null {
    return this.triggered;
  }

  /** Be told when the stop fires (at most once per latch). */
  onStop(listener: (reason: string) => void): () => void {
    this.listeners.add(listener);
    if (this.triggered) listener(this.triggered);
    return () => this.listeners.delete(listener);
  }

  /** The operator cleared the latch (after releasing the button and checking the arm). */
  clear(): void {
    this.triggered = null;
    this.arm();
  }

  async close(): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.listeners.clear();
    if (this.link.isOpen) await new Promise<void>((resolve) => this.link.close(() => resolve()));
  }

  private arm(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.trigger(`no heartbeat from the e-stop box for ${this.heartbeatTimeoutMs} ms`), this.heartbeatTimeoutMs);
  }

  private trigger(reason: string): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.triggered) return;
    this.triggered = reason;
    for (const listener of this.listeners) listener(reason);
  }
}

/** An emulated button box on the device end of a link. */
export class EstopBoxEmulator {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly link: ByteLink) {}

  /** Send heartbeats every 50 ms (button released). */
  start(): void {
    this.stop();
    this.link.write(Buffer.from([HEARTBEAT]));
    this.timer = setInterval(() => this.link.isOpen && this.link.write(Buffer.from([HEARTBEAT])), 50);
  }

  /** Press the button. */
  press(): void {
    this.stop();
    this.link.write(Buffer.from([PRESSED]));
  }

  /** The box dies quietly (no heartbeat, no press). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
