/**
 * The host side of one policy's socket: checks the token, sends the welcome (the API), serves
 * calls, and turns the runner's trace, output and exit messages into events and results. Calls and
 * events go to the program running at the time (`ProgramPort`): a reply that comes back after its
 * program ended is reported to that program, which no longer listens, never to the next one. It
 * also notes when the runner last sent anything (its heartbeat thread sends `beat` every 250 ms),
 * so that a frozen policy can be told from a busy one.
 */
import type { Socket } from 'node:net';
import type { ApiFunctionSpec, RawCall } from '../../shared/api/types.ts';
import { toWireError } from '../../shared/errors.ts';
import type { PolicyEvent, PolicyException, PolicyExitStatus } from '../../shared/run.ts';
import { encodeLine, LineDecoder } from './framing.ts';

/** The runner's last message: how the program ended. */
export interface ExitMessage {
  readonly t: 'exit';
  readonly status: PolicyExitStatus;
  readonly reason?: string;
  readonly exception?: PolicyException;
  /** Bytes of output the runner's cap dropped (its first and last part are kept). */
  readonly outputDropped?: number;
}

/**
 * Output kept of one process, characters per stream. The runner caps each program's output far
 * below this; this bounds a program that writes to the socket behind the runner's back.
 */
const MAX_CAPTURED_CHARS = 4 * 1024 * 1024;

/** The program a connection serves: where its calls and events go. */
export interface ProgramPort {
  /** Serve one call; reject with `ApiError` (anything else becomes `backend_error`). */
  readonly onCall: (call: RawCall) => Promise<unknown>;
  readonly emit: (event: PolicyEvent) => void;
}

/** What a connection needs from the host. */
export interface ConnectionOptions {
  readonly token: string;
  readonly welcome: unknown;
  readonly api: readonly ApiFunctionSpec[];
  /** The program running now, or null between programs. */
  readonly program: () => ProgramPort | null;
  /** Host clock, ms since the process started. */
  readonly clockMs: () => number;
  /** The peer did not present the token; the connection was dropped. */
  readonly onRejected: () => void;
  /** The runner authenticated: the host may send it a program. */
  readonly onReady: () => void;
  /** The runner reported how the current program ended. */
  readonly onExit: (message: ExitMessage) => void;
  readonly onClosed: () => void;
}

type Message = { readonly t?: unknown } & Record<string, unknown>;

/** One accepted runner connection. */
export class PolicyConnection {
  stdout = '';
  stderr = '';
  closed = false;
  private authenticated = false;
  /** Host time when the runner's clock read zero (its hello), ms. */
  private runnerEpochMs = 0;
  /** Host time of the runner's last message, ms. */
  private lastMessageMs = 0;
  private readonly decoder: LineDecoder;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    socket.setNoDelay(true);
    this.decoder = new LineDecoder((problem) => this.note(`bad message from the runner: ${problem.reason}`));
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.decoder.push(chunk)) this.handle(message as Message);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      if (this.authenticated) options.onClosed();
    });
  }

  /**
   * How long the runner has sent nothing, ms; 0 until it has authenticated (Python's start-up is
   * not silence: it cannot command the robot before its hello).
   */
  silentMs(): number {
    return this.authenticated ? this.options.clockMs() - this.lastMessageMs : 0;
  }

  /** Drop the connection. */
  close(): void {
    this.socket.destroy();
  }

  /** The first message must be the hello with the token; anything else drops the connection. */
  private authenticate(message: Message): void {
    if (message.t === 'hello' && message['token'] === this.options.token) {
      this.authenticated = true;
      this.runnerEpochMs = this.options.clockMs();
      this.send(this.options.welcome);
      this.options.onReady();
    } else {
      this.socket.destroy();
      this.options.onRejected();
    }
  }

  private handle(message: Message): void {
    this.lastMessageMs = this.options.clockMs();
    if (!this.authenticated) return this.authenticate(message);
    switch (message.t) {
      case 'call':
        this.serve(message);
        return;
      case 'lines':
        for (const [t, line] of message['lines'] as [number, number][]) {
          this.emit({ kind: 'line', tMs: this.runnerEpochMs + t, line });
        }
        return;
      case 'dropped':
        this.emit({ kind: 'lines-dropped', tMs: this.options.clockMs(), count: message['count'] as number });
        return;
      case 'out': {
        const text = String(message['text']);
        const stream = message['stream'] === 'stderr' ? 'stderr' : 'stdout';
        if (stream === 'stdout') this.stdout += text.slice(0, Math.max(0, MAX_CAPTURED_CHARS - this.stdout.length));
        else this.stderr += text.slice(0, Math.max(0, MAX_CAPTURED_CHARS - this.stderr.length));
        const tMs = typeof message['ms'] === 'number' ? this.runnerEpochMs + message['ms'] : this.options.clockMs();
        this.emit({ kind: stream, tMs, text });
        return;
      }
      case 'beat':
        return; // only its arrival matters (noted above)
      case 'exit':
        this.options.onExit(message as unknown as ExitMessage);
        return;
      default:
        this.note(`unknown message '${String(message.t)}'`);
    }
  }

  private emit(event: PolicyEvent): void {
    this.options.program()?.emit(event);
  }

  /** A problem of the host's own, shown on the program's stderr. */
  private note(text: string): void {
    this.emit({ kind: 'stderr', tMs: this.options.clockMs(), text: `[caplab] ${text}\n` });
  }

  private serve(message: Message): void {
    const id = message['id'];
    const call: RawCall = {
      fn: String(message['fn']),
      args: Array.isArray(message['args']) ? (message['args'] as unknown[]) : [],
      kwargs: (message['kwargs'] ?? {}) as Record<string, unknown>,
    };
    const tMs = this.options.clockMs();
    // The call belongs to the program running now, also when its reply comes after that ended.
    const program = this.options.program();
    let pending: Promise<unknown>;
    try {
      pending = program ? program.onCall(call) : Promise.reject(new Error('no program is running'));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        this.send({ t: 'ret', id, value: value ?? null });
        this.report(program, call, tMs, true);
      },
      (error: unknown) => {
        const wire = toWireError(error);
        this.send({ t: 'err', id, error: wire });
        this.report(program, call, tMs, false, wire);
      },
    );
  }

  private report(program: ProgramPort | null, call: RawCall, tMs: number, ok: boolean, error?: ReturnType<typeof toWireError>): void {
    program?.emit({
      kind: 'api-call',
      tMs,
      fn: call.fn,
      args: this.namedArgs(call),
      durationMs: this.options.clockMs() - tMs,
      ok,
      ...(error ? { error } : {}),
    });
  }

  /** Arguments by parameter name where the spec knows the function; as sent otherwise. */
  private namedArgs(call: RawCall): Readonly<Record<string, unknown>> | readonly unknown[] {
    const spec = this.options.api.find((s) => s.name === call.fn);
    if (!spec || call.args.length > spec.params.length) {
      return Object.keys(call.kwargs).length === 0 ? call.args : { args: call.args, ...call.kwargs };
    }
    const named: Record<string, unknown> = {};
    call.args.forEach((value, i) => {
      named[spec.params[i]!.name] = value;
    });
    return { ...named, ...call.kwargs };
  }

  /** Send a message to the runner (the welcome, call results, a session's next program). */
  send(message: unknown): void {
    if (!this.socket.destroyed) this.socket.write(encodeLine(message));
  }
}
