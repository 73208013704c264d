/**
 * The policy host: runs one Python policy program in `python3` under node-pty (the operator's
 * terminal), serves its robot API calls over a per-run Unix socket guarded by a random token,
 * turns its line trace, output and exceptions into `PolicyEvent`s, and enforces the wall clock
 * (CPU time and memory limits are applied inside the process with rlimits). Cancel sends
 * SIGINT (KeyboardInterrupt) first and SIGKILL after a grace period.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawn } from 'node-pty';
import type { ApiFunctionSpec, RawCall } from '../../shared/api/types.ts';
import type { PolicyEvent, PolicyResult } from '../../shared/run.ts';
import { PolicyConnection } from './policy-connection.ts';
import type { PolicyLimits } from './policy-limits.ts';
import { conclude, formatSeconds } from './policy-outcome.ts';
import { policyEnvironment, welcomeApi } from './policy-process.ts';

/** What to run and how to serve it. */
export interface RunPolicyOptions {
  readonly source: string;
  /** Name shown in tracebacks; default `policy.py`. */
  readonly fileName?: string;
  /** The functions defined in the program's namespace. */
  readonly api: readonly ApiFunctionSpec[];
  /** Serve one call; reject with `ApiError` (anything else becomes `backend_error`). */
  readonly onCall: (call: RawCall) => Promise<unknown>;
  readonly onEvent?: (event: PolicyEvent) => void;
  readonly limits: PolicyLimits;
  /** After SIGINT, how long before SIGKILL; default 2000 ms. */
  readonly cancelGraceMs?: number;
  readonly python?: string;
  /** Report executed lines (default true); off only for measuring the tracer's own cost. */
  readonly trace?: boolean;
  /**
   * Python run in the program's namespace before it, untraced (the skill library's functions).
   * Its errors end the run like the program's own, with the prelude's file name in the traceback.
   */
  readonly prelude?: { readonly source: string; readonly fileName: string };
}

/** A running policy. */
export interface PolicyRun {
  /** Resolves when the process has ended and its last message is read; never rejects. */
  readonly result: Promise<PolicyResult>;
  /** Stop the run: KeyboardInterrupt, then kill after the grace period. */
  cancel(reason: string): void;
  /** Type into the policy's terminal. */
  write(data: string): void;
  /** Listen to what the terminal shows; returns the unsubscribe function. */
  onTerminalData(listener: (data: string) => void): () => void;
  /** Resize the terminal (columns × rows). */
  resize(cols: number, rows: number): void;
  /**
   * How long the runner has sent nothing (not even its heartbeat), ms; 0 before it connected and
   * after the process ended. See `watchPolicyHeartbeat`.
   */
  silentMs(): number;
  readonly pid: number;
}

/** How long to wait for the socket's last bytes after the process exited, ms. */
const DRAIN_AFTER_EXIT_MS = 1000;

/** Start a policy program. */
export function runPolicy(options: RunPolicyOptions): PolicyRun {
  const started = performance.now();
  // Nothing is reported after the result: a call still in flight when the run ended (it was
  // cancelled mid-move) must not print after the verdict.
  let reporting = true;
  const emit = (event: PolicyEvent): void => {
    if (reporting) options.onEvent?.(event);
  };
  const dir = mkdtempSync(join(tmpdir(), 'caplab-run-'));
  const programPath = join(dir, basename(options.fileName ?? 'policy.py'));
  writeFileSync(programPath, options.source);
  const preludePath = join(dir, '_caplab_prelude.py');
  if (options.prelude) writeFileSync(preludePath, options.prelude.source);
  const socketPath = join(dir, 'host.sock');
  const token = randomBytes(16).toString('hex');

  let terminal = '';
  const terminalListeners = new Set<(data: string) => void>();
  let hostEnding: { status: 'timeout' | 'cancelled'; reason: string } | null = null;
  let processExit: { exitCode: number; signal: number | undefined } | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let resolveResult!: (result: PolicyResult) => void;
  const result = new Promise<PolicyResult>((resolve) => {
    resolveResult = resolve;
  });

  let connection: PolicyConnection | null = null;
  const server = createServer((socket: Socket) => {
    if (connection !== null) {
      socket.destroy();
      return;
    }
    connection = new PolicyConnection(socket, {
      token,
      welcome: { t: 'welcome', api: welcomeApi(options.api) },
      api: options.api,
      onCall: options.onCall,
      emit,
      clockMs: () => performance.now() - started,
      onRejected: () => {
        connection = null;
      },
      onClosed: () => maybeFinish(),
    });
  });
  // Binding a Unix socket happens synchronously in listen(); the runner connects later.
  server.listen(socketPath);

  const python = spawn(options.python ?? 'python3', ['-u', '-B', '-m', 'caplab._runner'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    cwd: dir,
    env: policyEnvironment({
      CAPLAB_SOCKET: socketPath,
      CAPLAB_TOKEN: token,
      CAPLAB_PROGRAM: programPath,
      CAPLAB_PROGRAM_NAME: options.fileName ?? 'policy.py',
      CAPLAB_CPU_SECONDS: String(Math.max(1, Math.ceil(options.limits.cpuSeconds))),
      CAPLAB_MEMORY_BYTES: String(Math.floor(options.limits.memoryBytes)),
      CAPLAB_TRACE: options.trace === false ? '0' : '1',
      ...(options.prelude ? { CAPLAB_PRELUDE: preludePath, CAPLAB_PRELUDE_NAME: options.prelude.fileName } : {}),
    }),
  });
  python.onData((data) => {
    terminal += data;
    for (const listener of terminalListeners) listener(data);
  });
  python.onExit(({ exitCode, signal }) => {
    processExit = { exitCode, signal };
    clearTimeout(killTimer);
    drainTimer = setTimeout(() => finish(), DRAIN_AFTER_EXIT_MS);
    maybeFinish();
  });

  const interrupt = (): void => {
    try {
      process.kill(python.pid, 'SIGINT');
    } catch {
      // Already gone.
    }
    killTimer = setTimeout(() => python.kill('SIGKILL'), options.cancelGraceMs ?? 2000);
  };
  const wallTimer = setTimeout(() => {
    if (processExit || hostEnding) return;
    hostEnding = { status: 'timeout', reason: `stopped after the wall-clock limit of ${formatSeconds(options.limits.wallClockMs)}` };
    interrupt();
  }, options.limits.wallClockMs);

  function maybeFinish(): void {
    const current = connection as PolicyConnection | null;
    if (processExit && (current === null || current.closed)) finish();
  }

  let finished = false;
  function finish(): void {
    if (finished) return;
    finished = true;
    clearTimeout(wallTimer);
    clearTimeout(killTimer);
    clearTimeout(drainTimer);
    const current = connection as PolicyConnection | null;
    current?.close();
    server.close();
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A temp dir that cannot be removed must not lose the run's result.
    }
    const exit = processExit ?? { exitCode: -1, signal: undefined };
    const ending = conclude(hostEnding, current?.exitMessage ?? null, exit, options.limits, terminal, performance.now() - started);
    if (ending.exception && ending.status !== 'cancelled' && ending.status !== 'timeout') {
      emit({ kind: 'exception', tMs: performance.now() - started, exception: ending.exception });
    }
    reporting = false;
    resolveResult({
      ...ending,
      stdout: current?.stdout ?? '',
      stderr: current?.stderr ?? '',
      terminal,
      wallMs: performance.now() - started,
      exitCode: processExit ? processExit.exitCode : null,
      signal: processExit?.signal ? processExit.signal : null,
    });
  }

  return {
    result,
    pid: python.pid,
    cancel(reason: string): void {
      if (processExit || hostEnding) return;
      hostEnding = { status: 'cancelled', reason };
      interrupt();
    },
    write(data: string): void {
      if (!processExit) python.write(data);
    },
    resize(cols: number, rows: number): void {
      if (!processExit) python.resize(cols, rows);
    },
    silentMs(): number {
      const current = connection as PolicyConnection | null;
      return processExit || finished ? 0 : (current?.silentMs() ?? 0);
    },
    onTerminalData(listener) {
      terminalListeners.add(listener);
      return () => terminalListeners.delete(listener);
    },
  };
}
