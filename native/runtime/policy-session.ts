/**
 * A policy session: one `python3` process (in a pty, like `runPolicy`) that runs several programs
 * one after another in the same namespace, as a multi-turn agent needs (variables and functions
 * from earlier turns persist). It can be started before the first program is known, so Python's
 * start-up overlaps the model's answer instead of adding to every turn.
 *
 * Each program gets its own handlers, limits and result. Stop = KeyboardInterrupt in the program
 * (the session lives on); if the program does not stop within the grace period the process is
 * killed and the session is over (`alive` false; a new session starts with a fresh namespace).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import type { ApiFunctionSpec, RawCall } from '../../shared/api/types.ts';
import type { PolicyEvent, PolicyResult } from '../../shared/run.ts';
import { PolicyConnection, type ExitMessage } from './policy-connection.ts';
import type { PolicyRun } from './policy-host.ts';
import { conclude, formatSeconds } from './policy-outcome.ts';
import { policyEnvironment, welcomeApi } from './policy-process.ts';
import type { PolicyLimits } from './policy-limits.ts';

/** What a session is started with. */
export interface PolicySessionOptions {
  readonly api: readonly ApiFunctionSpec[];
  /** Memory limit of the process (CPU and wall clock are per program). */
  readonly memoryBytes: number;
  readonly python?: string;
  readonly cancelGraceMs?: number;
}

/** One program of a session. */
export interface SessionProgram {
  readonly source: string;
  readonly fileName: string;
  readonly onCall: (call: RawCall) => Promise<unknown>;
  readonly onEvent?: (event: PolicyEvent) => void;
  readonly limits: PolicyLimits;
  readonly prelude?: { readonly source: string; readonly fileName: string };
  readonly trace?: boolean;
}

interface Current {
  readonly program: SessionProgram;
  readonly startMs: number;
  readonly stdoutAt: number;
  readonly stderrAt: number;
  hostEnding: { status: 'timeout' | 'cancelled'; reason: string } | null;
  wallTimer: NodeJS.Timeout;
  killTimer?: NodeJS.Timeout;
  /** The runner's socket closed while the process had not exited yet: how long we wait for it. */
  exitTimer?: NodeJS.Timeout;
  resolve: (result: PolicyResult) => void;
}

/** A running Python process that takes programs one at a time. */
export class PolicySession {
  private readonly dir = mkdtempSync(join(tmpdir(), 'caplab-session-'));
  private readonly token = randomBytes(16).toString('hex');
  private readonly startedMs = performance.now();
  private readonly python;
  private readonly server;
  private readonly ready: Promise<boolean>;
  private connection: PolicyConnection | null = null;
  private current: Current | null = null;
  private exited: { exitCode: number; signal: number | undefined } | null = null;
  private terminal = '';
  private readonly terminalListeners = new Set<(data: string) => void>();
  private programs = 0;

  constructor(private readonly options: PolicySessionOptions) {
    let markReady!: (ok: boolean) => void;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    const socketPath = join(this.dir, 'host.sock');
    this.server = createServer((socket: Socket) => {
      if (this.connection) return void socket.destroy();
      this.connection = new PolicyConnection(socket, {
        token: this.token,
        welcome: { t: 'welcome', api: welcomeApi(options.api) },
        api: options.api,
        onCall: (call) => (this.current ? this.current.program.onCall(call) : Promise.reject(new Error('no program is running'))),
        emit: (event) => this.current?.program.onEvent?.({ ...event, tMs: event.tMs - this.current.startMs }),
        clockMs: () => performance.now() - this.startedMs,
        onRejected: () => {
          this.connection = null;
        },
        onClosed: () => this.end(),
        onExit: (message) => this.settle(message),
        onReady: () => markReady(true),
      });
    });
    this.server.listen(socketPath);
    this.python = spawn(options.python ?? 'python3', ['-u', '-B', '-m', 'caplab._runner'], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd: this.dir,
      env: policyEnvironment({
        CAPLAB_SOCKET: socketPath,
        CAPLAB_TOKEN: this.token,
        CAPLAB_SESSION: '1',
        CAPLAB_MEMORY_BYTES: String(Math.floor(options.memoryBytes)),
      }),
    });
    this.python.onData((data) => {
      this.terminal += data;
      for (const listener of this.terminalListeners) listener(data);
    });
    this.python.onExit(({ exitCode, signal }) => {
      this.exited = { exitCode, signal };
      markReady(false);
      this.end();
    });
  }

  /** The process is running and can take a program. */
  get alive(): boolean {
    return this.exited === null;
  }

  /** Programs run so far. */
  get programCount(): number {
    return this.programs;
  }

  /** Run one program; rejects if another is still running. */
  run(program: SessionProgram): PolicyRun {
    if (this.current) throw new Error('the session is still running a program');
    this.programs += 1;
    const startMs = performance.now() - this.startedMs;
    const result = new Promise<PolicyResult>((resolve) => {
      const current: Current = {
        program,
        startMs,
        stdoutAt: this.connection?.stdout.length ?? 0,
        stderrAt: this.connection?.stderr.length ?? 0,
        hostEnding: null,
        resolve,
        wallTimer: setTimeout(() => {
          current.hostEnding = { status: 'timeout', reason: `stopped after the wall-clock limit of ${formatSeconds(program.limits.wallClockMs)}` };
          this.interrupt(current);
        }, program.limits.wallClockMs),
      };
      this.current = current;
    });
    void this.ready.then((ok) => {
      if (!ok) return this.end();
      this.connection?.send({
        t: 'program',
        source: program.source,
        name: program.fileName,
        cpuSeconds: Math.max(1, Math.ceil(program.limits.cpuSeconds)),
        trace: program.trace !== false,
        ...(program.prelude ? { prelude: { source: program.prelude.source, name: program.prelude.fileName } } : {}),
      });
    });
    return {
      result,
      pid: this.python.pid,
      cancel: (reason: string) => {
        const current = this.current;
        if (!current || current.hostEnding) return;
        current.hostEnding = { status: 'cancelled', reason };
        this.interrupt(current);
      },
      write: (data: string) => this.write(data),
      onTerminalData: (listener) => this.onTerminalData(listener),
      resize: (cols: number, rows: number) => {
        if (this.alive) this.python.resize(cols, rows);
      },
      silentMs: () => (this.alive ? (this.connection?.silentMs() ?? 0) : 0),
    };
  }

  /** Type into the session's terminal. */
  write(data: string): void {
    if (this.alive) this.python.write(data);
  }

  /** Listen to the terminal; returns the unsubscribe function. */
  onTerminalData(listener: (data: string) => void): () => void {
    this.terminalListeners.add(listener);
    return () => this.terminalListeners.delete(listener);
  }

  /** End the session: ask the runner to close, kill it if it does not. */
  async dispose(): Promise<void> {
    if (this.alive) {
      this.connection?.send({ t: 'close' });
      const exited = new Promise<void>((resolve) => this.python.onExit(() => resolve()));
      const timer = setTimeout(() => this.python.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(timer);
    }
    this.connection?.close();
    this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private interrupt(current: Current): void {
    try {
      process.kill(this.python.pid, 'SIGINT');
    } catch {
      // Already gone.
    }
    current.killTimer = setTimeout(() => this.python.kill('SIGKILL'), this.options.cancelGraceMs ?? 2000);
  }

  /** The runner reported the end of the current program. */
  private settle(message: ExitMessage | null): void {
    const current = this.current;
    if (!current) return;
    this.current = null;
    clearTimeout(current.wallTimer);
    clearTimeout(current.killTimer);
    clearTimeout(current.exitTimer);
    const wallMs = performance.now() - this.startedMs - current.startMs;
    const exit = this.exited ?? { exitCode: -1, signal: undefined };
    const ending = conclude(current.hostEnding, message, exit, current.program.limits, this.terminal, wallMs);
    if (ending.exception && ending.status !== 'cancelled' && ending.status !== 'timeout') {
      current.program.onEvent?.({ kind: 'exception', tMs: wallMs, exception: ending.exception });
    }
    current.resolve({
      ...ending,
      stdout: this.connection?.stdout.slice(current.stdoutAt) ?? '',
      stderr: this.connection?.stderr.slice(current.stderrAt) ?? '',
      terminal: this.terminal,
      wallMs,
      exitCode: this.exited ? this.exited.exitCode : null,
      signal: this.exited?.signal ? this.exited.signal : null,
    });
  }

  /** The process or its socket ended: a running program ends with it. */
  private end(): void {
    const current = this.current;
    if (!current) return;
    if (this.exited) return this.settle(null);
    // The socket closes a moment before the pty reports the exit (a killed runner, a crash): wait
    // for the exit, so the result says how the process ended and `alive` is already false.
    if (this.connection?.closed && !current.exitTimer) {
      current.exitTimer = setTimeout(() => {
        this.python.kill('SIGKILL');
        current.exitTimer = setTimeout(() => this.settle(null), 1000);
      }, 1000);
    }
  }
}
