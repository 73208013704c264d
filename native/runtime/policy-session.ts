/**
 * The policy-process lifecycle: one Python process under node-pty (the operator's terminal), in
 * the sandbox (`sandbox.ts`: its own network and PID namespaces, a read-only filesystem but for
 * its scratch folder `dir/scratch`), that runs programs one at a time in one namespace, each with
 * its own handlers, limits, wall clock and result (`ProgramRun`). It serves the programs' robot API calls over a per-process Unix
 * socket guarded by a random token, in a private temp dir removed at `dispose`. CPU time and memory
 * are limited inside the process with rlimits, the wall clock here.
 *
 * A multi-turn agent keeps the process between programs (variables and functions from earlier
 * turns persist) and starts it before the first program is known, so Python's start-up overlaps
 * the model's answer. A one-program run (`runPolicy`) runs its program as the `last` one: the
 * runner exits when it ends (so its hard CPU limit can be set), and its result waits for the
 * process's exit and carries the exit code and signal.
 *
 * Stop = KeyboardInterrupt in the program (the session lives on); if the program does not stop
 * within the grace period the process is killed and the session is over (`alive` false; a new
 * session starts with a fresh namespace).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiFunctionSpec } from '../../shared/api/types.ts';
import { PolicyConnection, type ExitMessage } from './policy-connection.ts';
import type { ProcessExit } from './policy-outcome.ts';
import { spawnRunner, welcomeApi, type RunnerProcess } from './policy-process.ts';
import { BoundedText } from './bounded-text.ts';
import { detectSandbox, type SandboxKind } from './sandbox.ts';
import { ProgramRun, type PolicyProgram, type PolicyRun, type ProgramHost } from './policy-program.ts';

/** What a session is started with. */
export interface PolicySessionOptions {
  /** The functions defined in the programs' namespace. */
  readonly api: readonly ApiFunctionSpec[];
  /** Memory limit of the process (CPU and wall clock are per program). */
  readonly memoryBytes: number;
  /** The interpreter command (default `CAPLAB_PYTHON`, else `python3`), resolved once per process. */
  readonly python?: string;
  /** Run without the sandbox even where one is available (measuring its cost). */
  readonly unsandboxed?: boolean;
  /** After SIGINT, how long before SIGKILL; default 2000 ms. */
  readonly cancelGraceMs?: number;
}

/**
 * How long to wait for the socket's last bytes after the process exited, and for the process's
 * exit after its socket closed (then it is killed, and given as long again), ms.
 */
const SETTLE_WAIT_MS = 1000;
const DEFAULT_CANCEL_GRACE_MS = 2000;

/** A running Python process that takes programs one at a time. */
export class PolicySession {
  private readonly dir = mkdtempSync(join(tmpdir(), 'caplab-run-'));
  private readonly token = randomBytes(16).toString('hex');
  /** The runner's scratch folder: its working folder and HOME, the one place it may write. */
  readonly scratchDir = join(this.dir, 'scratch');
  private readonly startedMs = performance.now();
  private readonly runner: RunnerProcess;
  private readonly server: Server;
  private connection: PolicyConnection | null = null;
  /** The runner presented its token: programs can be sent. */
  private ready = false;
  private closing = false;
  private current: ProgramRun | null = null;
  /** The current program, until it has been sent to the runner. */
  private unsent: ProgramRun | null = null;
  /** Where the current program's output starts in the connection's. */
  private outputAt = { stdout: 0, stderr: 0 };
  private exited: ProcessExit | null = null;
  /** The process has exited and its socket has said all it will (or we gave up waiting). */
  private ended = false;
  private endTimer: NodeJS.Timeout | undefined;
  /** Settles when the process has exited. */
  readonly gone: Promise<void>;
  private markGone!: () => void;
  /** What the terminal showed: the first part and the last, bounded (a program may print 100 MB). */
  private readonly terminal = new BoundedText();
  private readonly terminalListeners = new Set<(data: string) => void>();
  private programs = 0;
  private readonly host: ProgramHost = {
    clockMs: () => performance.now() - this.startedMs,
    alive: () => this.alive,
    interrupt: () => this.signal('SIGINT'),
    kill: () => this.signal('SIGKILL'),
    sandbox: () => this.runner.sandbox,
  };

  constructor(private readonly options: PolicySessionOptions) {
    this.gone = new Promise((resolve) => {
      this.markGone = resolve;
    });
    const socketPath = join(this.dir, 'host.sock');
    this.server = createServer((socket) => this.accept(socket));
    // Binding a Unix socket happens synchronously in listen(); the runner connects later.
    this.server.listen(socketPath);
    mkdirSync(this.scratchDir);
    try {
      this.runner = spawnRunner({
        ...(options.python ? { python: options.python } : {}),
        dir: this.dir,
        scratchDir: this.scratchDir,
        socketPath,
        token: this.token,
        memoryBytes: options.memoryBytes,
        ...(options.unsandboxed ? { unsandboxed: true } : {}),
      });
    } catch (error) {
      // No interpreter (a wrong CAPLAB_PYTHON): nothing may stay behind of the session.
      this.server.close();
      rmSync(this.dir, { recursive: true, force: true });
      throw error;
    }
    this.runner.pty.onData((data) => {
      this.terminal.append(data);
      for (const listener of this.terminalListeners) listener(data);
    });
    this.runner.pty.onExit((reported) => this.processExited(this.runner.exit(reported)));
  }

  /** The process is running and can take a program. */
  get alive(): boolean {
    return this.exited === null && !this.ended;
  }

  /** The sandbox the process runs in. */
  get sandbox(): SandboxKind {
    return this.runner.sandbox;
  }

  /** Programs run so far. */
  get programCount(): number {
    return this.programs;
  }

  /** How the process ended (null while it runs). */
  get processExit(): ProcessExit | null {
    return this.exited;
  }

  /**
   * Run one program; throws if another is still running. `last`: the process ends with this
   * program (a one-program run); otherwise it waits for the next one.
   */
  run(program: PolicyProgram, { last = false }: { readonly last?: boolean } = {}): PolicyRun {
    if (this.current) throw new Error('the session is still running a program');
    this.programs += 1;
    const run = new ProgramRun(program, last, this.host, this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS);
    this.current = run;
    this.unsent = run;
    if (this.runner.sandbox === 'none') {
      // Said in the run's own record and trace (the console's and the CLI's), program by program.
      const why = this.options.unsandboxed ? 'started without it on purpose' : detectSandbox().detail;
      run.emit({ kind: 'stderr', tMs: this.host.clockMs(), text: `[caplab] WARNING: this policy runs without a sandbox (${why})\n` });
    }
    this.outputAt = { stdout: this.connection?.stdout.length ?? 0, stderr: this.connection?.stderr.length ?? 0 };
    if (this.ended) this.settle();
    else this.send();
    const runner = this.runner;
    return {
      result: run.result,
      get pid() {
        return runner.pid();
      },
      cancel: (reason: string) => run.stop({ status: 'cancelled', reason }),
      write: (data: string) => this.write(data),
      onTerminalData: (listener) => this.onTerminalData(listener),
      resize: (cols: number, rows: number) => {
        if (this.alive) this.runner.pty.resize(cols, rows);
      },
      silentMs: () => (run.ended || !this.alive ? 0 : (this.connection?.silentMs() ?? 0)),
    };
  }

  /** Type into the session's terminal. */
  write(data: string): void {
    if (!this.alive) return;
    // In the sandbox Python has no controlling terminal (a new session): Ctrl-C typed into the
    // terminal is sent to it as the SIGINT the terminal would have sent.
    if (this.runner.sandbox === 'bwrap' && data.includes('\x03')) {
      this.runner.interrupt();
      data = data.replaceAll('\x03', '');
    }
    if (data) this.runner.pty.write(data);
  }

  /** Listen to the terminal; returns the unsubscribe function. */
  onTerminalData(listener: (data: string) => void): () => void {
    this.terminalListeners.add(listener);
    return () => this.terminalListeners.delete(listener);
  }

  /** End the session: ask the runner to close, kill it if it does not; remove the temp dir. */
  async dispose(): Promise<void> {
    if (this.alive) {
      // A runner still starting is closed once it presents its token (killed, its namespace would end after we return).
      this.closing = true;
      if (this.ready) this.connection?.send({ t: 'close' });
      const timer = setTimeout(() => this.signal('SIGKILL'), SETTLE_WAIT_MS);
      await this.gone;
      clearTimeout(timer);
    }
    this.connection?.close();
    this.server.close();
    // Off this thread: a bench slot's next trial goes on while the last one's scratch is removed.
    await rm(this.dir, { recursive: true, force: true }).catch(() => {
      // A temp dir that cannot be removed must not lose a run's result.
    });
  }

  private accept(socket: Socket): void {
    if (this.connection) return void socket.destroy();
    this.connection = new PolicyConnection(socket, {
      token: this.token,
      welcome: { t: 'welcome', api: welcomeApi(this.options.api) },
      api: this.options.api,
      program: () => this.current,
      clockMs: this.host.clockMs,
      onRejected: () => {
        this.connection = null;
      },
      onReady: () => {
        this.ready = true;
        if (this.closing) return void this.connection?.send({ t: 'close' });
        this.send();
      },
      onExit: (message) => this.programExited(message),
      onClosed: () => this.socketClosed(),
    });
  }

  /** Send the current program once the runner is ready (right after its welcome: no round trip). */
  private send(): void {
    if (!this.ready || !this.unsent) return;
    this.connection?.send(this.unsent.message());
    this.unsent = null;
  }

  private signal(signal: 'SIGINT' | 'SIGKILL'): void {
    if (!this.alive) return;
    if (signal === 'SIGINT') this.runner.interrupt();
    else this.runner.kill();
  }

  /** The runner reported the end of the current program. */
  private programExited(message: ExitMessage): void {
    const current = this.current;
    if (!current) return;
    current.exitMessage = message;
    // A last program's result waits for the process, to say how it ended.
    if (!current.last) this.settle();
  }

  private socketClosed(): void {
    if (this.exited) return this.end();
    // The socket closes a moment before the pty reports the exit (a killed runner, a crash): wait
    // for the exit, so the result says how the process ended and `alive` is already false.
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => {
      this.signal('SIGKILL');
      this.endTimer = setTimeout(() => this.end(), SETTLE_WAIT_MS);
    }, SETTLE_WAIT_MS);
  }

  private processExited(exit: ProcessExit): void {
    this.exited = exit;
    // Every process of the run ends with it (under bwrap the PID namespace already saw to that).
    this.runner.reap();
    this.markGone();
    clearTimeout(this.endTimer);
    const connection = this.connection;
    if (connection === null || connection.closed) return this.end();
    // The runner's last messages may still be on their way.
    this.endTimer = setTimeout(() => this.end(), SETTLE_WAIT_MS);
  }

  /** The process and its socket are done: a running program ends with them. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.endTimer);
    this.markGone();
    this.settle();
  }

  private settle(): void {
    const current = this.current;
    if (!current) return;
    this.current = null;
    this.unsent = null;
    current.settle({
      exit: this.exited,
      terminal: this.terminal.text(),
      stdout: this.connection?.stdout.slice(this.outputAt.stdout) ?? '',
      stderr: this.connection?.stderr.slice(this.outputAt.stderr) ?? '',
    });
  }
}
