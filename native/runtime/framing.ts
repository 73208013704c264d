/**
 * Newline-delimited JSON framing for the policy socket: bytes in, parsed messages out. Chunks
 * may split a line anywhere (also inside a multi-byte UTF-8 character); a line that is not JSON
 * is reported and skipped, so one bad line never loses the messages after it.
 */

/** A line that could not be used, with why. */
export interface FramingProblem {
  readonly reason: string;
  /** The start of the offending line, for the log. */
  readonly excerpt: string;
}

/** Longest line accepted, bytes; a longer one is dropped (a runaway or hostile peer). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Splits a byte stream into JSON messages. */
export class LineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly onProblem: (problem: FramingProblem) => void = () => {}) {}

  /** Feed a chunk; returns every message completed by it, in order. */
  push(chunk: Buffer): unknown[] {
    const messages: unknown[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      start = end + 1;
      if (this.discarding) {
        this.discarding = false;
        this.reset();
        continue;
      }
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.reset();
      this.parse(line, messages);
    }
    if (start < chunk.length && !this.discarding) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > MAX_LINE_BYTES) {
        this.onProblem({ reason: `line longer than ${MAX_LINE_BYTES} bytes dropped`, excerpt: this.excerpt() });
        this.reset();
        this.discarding = true;
      }
    }
    return messages;
  }

  private parse(line: Buffer, messages: unknown[]): void {
    if (line.length === 0) return;
    const text = line.toString('utf8');
    try {
      messages.push(JSON.parse(text));
    } catch (error) {
      this.onProblem({ reason: `not JSON (${(error as Error).message})`, excerpt: text.slice(0, 80) });
    }
  }

  private excerpt(): string {
    return Buffer.concat(this.pending).subarray(0, 80).toString('utf8');
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** One message as a line of JSON. */
export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
