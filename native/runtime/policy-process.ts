/**
 * How the policy process is started: the resolved interpreter running `caplab._runner` under
 * node-pty (the operator's terminal), in the sandbox (`sandbox.ts`), with an environment that
 * carries none of the host's secrets, and the API it is welcomed with once it presents its token.
 */
import { chmodSync, chownSync, readFileSync } from 'node:fs';
import { spawn, type IPty } from 'node-pty';
import { PYTHON_PACKAGE_DIR, resolvePython, type PythonInterpreter } from './python-interpreter.ts';
import { detectSandbox, POLICY_MAX_PROCESSES, sandboxedCommand, sandboxUid, type SandboxKind } from './sandbox.ts';
import { renderDocstring } from '../../shared/api/docs.ts';
import type { ApiFunctionSpec } from '../../shared/api/types.ts';

/**
 * What to send the runner: name, parameter names, defaults (for the signature `help()` shows;
 * the host still binds and validates), docstring, whether a list return is a tuple.
 */
export function welcomeApi(api: readonly ApiFunctionSpec[]): unknown[] {
  return api.map((spec) => ({
    name: spec.name,
    params: spec.params.map((p) => p.name),
    defaults: Object.fromEntries(spec.params.flatMap((p) => (p.default === undefined ? [] : [[p.name, p.default]]))),
    doc: renderDocstring(spec),
    tuple: spec.returns.pythonType.startsWith('tuple'),
  }));
}

/**
 * The environment of the policy process: an allow-list, so no secrets of the host (API keys,
 * tokens) leak into it. HOME is the run's scratch folder (never the operator's home).
 */
export function policyEnvironment(extra: Record<string, string>, scratchDir?: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'LANG', 'LC_ALL', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  if (scratchDir) env['HOME'] = scratchDir;
  return { ...env, TERM: 'xterm-256color', PAGER: 'cat', PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

/** What the runner is started with. */
export interface RunnerStart {
  /** The configured interpreter command (default `CAPLAB_PYTHON`, else `python3`). */
  readonly python?: string;
  /** The private directory of this process (where its socket is; read-only to the policy). */
  readonly dir: string;
  /** The policy's writable folder: its working directory and HOME. */
  readonly scratchDir: string;
  readonly socketPath: string;
  readonly token: string;
  /** The address-space limit of the whole process (CPU time is set program by program). */
  readonly memoryBytes: number;
  /** Run without the sandbox even where one is available (measuring its cost). */
  readonly unsandboxed?: boolean;
}

/** A started runner: its terminal, its sandbox, and how to signal it. */
export interface RunnerProcess {
  readonly pty: IPty;
  readonly sandbox: SandboxKind;
  /** The runner's (Python's) pid on the host: under bwrap, bwrap's grandchild once it runs. */
  pid(): number;
  /** SIGINT to the runner itself (KeyboardInterrupt in the program). */
  interrupt(): void;
  /** SIGKILL to the runner and every process it started. */
  kill(): void;
  /** After the runner exited: end what it left behind (unsandboxed: its process group). */
  reap(): void;
  /**
   * How the runner ended, from what node-pty reports: bwrap exits with 128 + N when Python was
   * killed by signal N, which is told as that signal.
   */
  exit(reported: { exitCode: number; signal?: number | undefined }): { exitCode: number; signal: number | undefined };
}

/**
 * Python started with only what a policy needs: isolated (`-I`: no PYTHON* variables, no user
 * site, no current folder on the path), without `site` (`-S`, ~20 ms of .pth processing) but with
 * the interpreter's site-packages put back on the path, unbuffered, no bytecode written.
 */
export function runnerArguments(interpreter: PythonInterpreter): string[] {
  const path = JSON.stringify([PYTHON_PACKAGE_DIR]);
  const extra = JSON.stringify(interpreter.sysPath);
  const boot = `import sys; sys.path[:0] = ${path}; sys.path.extend(p for p in ${extra} if p not in sys.path)
from caplab._runner import main; main()`;
  return ['-I', '-S', '-u', '-B', '-c', boot];
}

/** Start the runner in a pty, in the sandbox; it connects to `socketPath` and waits for programs. */
export function spawnRunner(start: RunnerStart): RunnerProcess {
  const interpreter = resolvePython(start.python);
  const sandbox = start.unsandboxed ? 'none' : detectSandbox().kind;
  const runAs = sandbox === 'bwrap' && process.getuid?.() === 0 ? sandboxUid() : null;
  if (runAs !== null) {
    // The runner gives up root inside (RLIMIT_NPROC does not bind root): it needs its scratch
    // folder and a way through the run folder to it (not a listing of it).
    chownSync(start.scratchDir, runAs, runAs);
    chmodSync(start.dir, 0o711);
  }
  const layout = { interpreter, packageDir: PYTHON_PACKAGE_DIR, runDir: start.dir, scratchDir: start.scratchDir };
  const command = sandboxedCommand(sandbox, layout, runnerArguments(interpreter));
  const pty = spawn(command.file, command.args, {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    cwd: start.scratchDir,
    env: policyEnvironment(
      {
        CAPLAB_SOCKET: start.socketPath,
        CAPLAB_TOKEN: start.token,
        CAPLAB_MEMORY_BYTES: String(Math.floor(start.memoryBytes)),
        // Only in bwrap's namespaces does RLIMIT_NPROC count the run's processes alone.
        ...(sandbox === 'bwrap' ? { CAPLAB_MAX_PROCESSES: String(POLICY_MAX_PROCESSES) } : {}),
        CAPLAB_SANDBOX: sandbox,
        ...(runAs !== null ? { CAPLAB_RUN_AS_UID: String(runAs) } : {}),
        ...(sandbox === 'bwrap' ? { TMPDIR: '/tmp' } : { TMPDIR: start.scratchDir }),
      },
      start.scratchDir,
    ),
  });
  return { pty, sandbox, ...signalling(pty.pid, sandbox) };
}

/**
 * How to signal a runner. Under bwrap the pty's process is bwrap, whose child is the namespace's
 * init and whose grandchild is Python: SIGINT goes to Python (bwrap does not forward signals),
 * SIGKILL to bwrap (its init dies with it, and with the init every process of the namespace).
 * Unsandboxed, the runner leads its own process group (node-pty starts a new session): SIGKILL
 * goes to the group.
 */
function signalling(pid: number, sandbox: SandboxKind): Pick<RunnerProcess, 'pid' | 'interrupt' | 'kill' | 'reap' | 'exit'> {
  let runnerPid: number | null = sandbox === 'bwrap' ? null : pid;
  const send = (target: number, signal: NodeJS.Signals): void => {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  };
  const runner = (): number => {
    runnerPid ??= grandchild(pid);
    return runnerPid ?? pid;
  };
  return {
    pid: runner,
    interrupt: () => send(runner(), 'SIGINT'),
    kill: () => {
      if (sandbox !== 'bwrap') send(-pid, 'SIGKILL');
      send(pid, 'SIGKILL');
    },
    reap: () => {
      if (sandbox !== 'bwrap') send(-pid, 'SIGKILL');
    },
    // 130 stays an exit code: it is the runner's own for a cancelled last program.
    exit: ({ exitCode, signal }) =>
      sandbox === 'bwrap' && !signal && exitCode > 128 && exitCode < 160 && exitCode !== 130
        ? { exitCode, signal: exitCode - 128 }
        : { exitCode, signal: signal || undefined },
  };
}

/** The first child of the first child of `pid` (Linux /proc), or null. */
function grandchild(pid: number): number | null {
  const child = (of: number): number | null => {
    try {
      const first = readFileSync(`/proc/${of}/task/${of}/children`, 'utf8').trim().split(' ')[0];
      return first ? Number(first) : null;
    } catch {
      return null;
    }
  };
  const init = child(pid);
  return init === null ? null : child(init);
}
