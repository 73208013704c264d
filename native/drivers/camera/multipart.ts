/**
 * Framing of a `multipart/x-mixed-replace` stream (MJPEG over HTTP) as a pure, incremental
 * parser: feed it chunks as they arrive, get back the complete parts. Network cameras are sloppy,
 * so it copes with delimiters split across chunks, parts with and without `Content-Length`, bytes
 * between parts that belong to no part, a `Content-Length` that lies (the next delimiter shows up
 * inside the announced body: the part is handed out cut short, flagged, and the parser resyncs),
 * and boundaries declared with or without their leading `--`.
 */

/** One part of the stream. */
export interface MultipartPart {
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** The part ended before its announced `Content-Length` (the next delimiter came first). */
  readonly shortOfLength: boolean;
}

/** Counters for the health view. */
export interface MultipartStats {
  parts: number;
  /** Bytes that belonged to no part (before a delimiter, or unparseable headers). */
  garbageBytes: number;
  /** Parts dropped for exceeding the size limit. */
  oversizeParts: number;
}

const MAX_HEADER_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');

/** The boundary parameter of a `multipart/x-mixed-replace; boundary=…` content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary ? boundary.replace(/^--/, '') : null;
}

type State = { kind: 'seek' } | { kind: 'headers' } | { kind: 'body'; headers: Map<string, string>; contentLength: number | null };

/** Incremental parser of one multipart stream. */
export class MultipartParser {
  readonly stats: MultipartStats = { parts: 0, garbageBytes: 0, oversizeParts: 0 };
  private readonly delimiter: Buffer;
  private buffer = Buffer.alloc(0);
  private state: State = { kind: 'seek' };
  private finished = false;

  /** `boundary` as declared in the content type; a leading `--` is accepted and ignored. */
  constructor(
    boundary: string,
    private readonly maxPartBytes = 16 * 1024 * 1024,
  ) {
    this.delimiter = Buffer.from(`--${boundary.replace(/^--/, '')}`);
  }

  /** The closing delimiter (`--boundary--`) has been seen. */
  get ended(): boolean {
    return this.finished;
  }

  /** Feed the next chunk; returns the parts it completed, in order. */
  feed(chunk: Uint8Array): MultipartPart[] {
    if (this.finished) return [];
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : Buffer.from(chunk);
    const parts: MultipartPart[] = [];
    for (;;) {
      const progressed = this.step(parts);
      if (!progressed || this.finished) return parts;
    }
  }

  /** One state transition; false when more bytes are needed. */
  private step(parts: MultipartPart[]): boolean {
    if (this.state.kind === 'seek') return this.seekDelimiter();
    if (this.state.kind === 'headers') return this.readHeaders();
    return this.readBody(this.state.headers, this.state.contentLength, parts);
  }

  private seekDelimiter(): boolean {
    const at = this.buffer.indexOf(this.delimiter);
    if (at < 0) {
      // Keep a tail that may be the start of a delimiter split across chunks.
      const keep = Math.min(this.buffer.length, this.delimiter.length - 1);
      this.discard(this.buffer.length - keep);
      return false;
    }
    const after = at + this.delimiter.length;
    if (this.buffer.length < after + 2) return false;
    this.discard(at);
    if (this.buffer[this.delimiter.length] === 0x2d && this.buffer[this.delimiter.length + 1] === 0x2d) {
      this.finished = true;
      this.buffer = Buffer.alloc(0);
      return false;
    }
    const lineEnd = this.buffer.indexOf(0x0a, this.delimiter.length);
    if (lineEnd < 0) return this.giveUpPast(MAX_HEADER_BYTES);
    this.buffer = this.buffer.subarray(lineEnd + 1);
    this.state = { kind: 'headers' };
    return true;
  }

  private readHeaders(): boolean {
    // A part with no headers at all starts with its blank line.
    const blank = this.buffer[0] === 0x0a ? 1 : this.buffer.subarray(0, 2).equals(CRLF) ? 2 : 0;
    if (blank > 0) return this.startBody(new Map(), blank);
    const ends = [
      [this.buffer.indexOf('\r\n\r\n'), 4],
      [this.buffer.indexOf('\n\n'), 2],
    ].filter(([at]) => at! >= 0);
    if (ends.length === 0) return this.giveUpPast(MAX_HEADER_BYTES);
    const [end, length] = ends.sort((a, b) => a[0]! - b[0]!)[0]! as [number, number];
    const headers = new Map<string, string>();
    for (const line of this.buffer.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return this.startBody(headers, end + length);
  }

  /** Still waiting for a line end: resync (and go on) once `limit` bytes came without one. */
  private giveUpPast(limit: number): boolean {
    if (this.buffer.length <= limit) return false;
    this.resync();
    return true;
  }

  private startBody(headers: Map<string, string>, headerBytes: number): boolean {
    this.buffer = this.buffer.subarray(headerBytes);
    const declared = Number.parseInt(headers.get('content-length') ?? '', 10);
    const contentLength = Number.isFinite(declared) && declared >= 0 ? declared : null;
    if (contentLength !== null && contentLength > this.maxPartBytes) {
      this.stats.oversizeParts += 1;
      this.state = { kind: 'seek' };
      return true;
    }
    this.state = { kind: 'body', headers, contentLength };
    return true;
  }

  private readBody(headers: Map<string, string>, contentLength: number | null, parts: MultipartPart[]): boolean {
    const searchEnd = contentLength === null ? this.buffer.length : Math.min(this.buffer.length, contentLength + this.delimiter.length);
    const at = this.buffer.subarray(0, searchEnd).indexOf(this.delimiter);
    if (contentLength !== null && (at < 0 || at >= contentLength)) {
      if (this.buffer.length < contentLength) return this.tooLong(contentLength);
      this.emit(parts, headers, this.buffer.subarray(0, contentLength), false);
      this.buffer = this.buffer.subarray(contentLength);
      return true;
    }
    if (at < 0) return this.tooLong(this.buffer.length);
    this.emit(parts, headers, trimLineEnd(this.buffer.subarray(0, at)), contentLength !== null);
    this.buffer = this.buffer.subarray(at);
    return true;
  }

  /** Waiting for more body bytes; gives the part up if it outgrows the limit. */
  private tooLong(bytes: number): boolean {
    if (bytes <= this.maxPartBytes) return false;
    this.stats.oversizeParts += 1;
    this.resync();
    return true;
  }

  private emit(parts: MultipartPart[], headers: Map<string, string>, body: Buffer, shortOfLength: boolean): void {
    this.stats.parts += 1;
    parts.push({ headers, body: Buffer.from(body), shortOfLength });
    this.state = { kind: 'seek' };
  }

  /** Drop what is buffered and look for the next delimiter. */
  private resync(): void {
    this.discard(this.buffer.length);
    this.state = { kind: 'seek' };
  }

  private discard(bytes: number): void {
    if (bytes <= 0) return;
    this.stats.garbageBytes += countNonBlank(this.buffer.subarray(0, bytes));
    this.buffer = this.buffer.subarray(bytes);
  }
}

/** Line ends between parts are framing, not garbage. */
function countNonBlank(bytes: Buffer): number {
  let count = 0;
  for (const byte of bytes) if (byte !== 0x0d && byte !== 0x0a) count += 1;
  return count;
}

function trimLineEnd(body: Buffer): Buffer {
  let end = body.length;
  if (end > 0 && body[end - 1] === 0x0a) end -= 1;
  if (end > 0 && body[end - 1] === 0x0d) end -= 1;
  return body.subarray(0, end);
}
