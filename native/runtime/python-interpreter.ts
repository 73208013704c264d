/**
 * Which Python runs policies: the configured command (`CAPLAB_PYTHON`, else `python3` on the
 * PATH) resolved once per process to the real interpreter (`sys.executable`). The PATH's
 * `python3` is often a shim (pyenv's costs ~280 ms per start); the resolved path starts at the
 * interpreter's own speed, and the sandbox binds in only the folders it names.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder that holds the policy runtime's `caplab` package (put on the runner's `sys.path`). */
export const PYTHON_PACKAGE_DIR = fileURLToPath(new URL('../python', import.meta.url));

/** A resolved interpreter. */
export interface PythonInterpreter {
  /** What was configured (`CAPLAB_PYTHON`, an option, or `python3`). */
  readonly command: string;
  /** The real executable (`sys.executable`, symlinks kept: a venv's python is a symlink). */
  readonly executable: string;
  /** `sys.version`'s first word, e.g. `3.11.7`. */
  readonly version: string;
  /** The folders on `sys.path` (site-packages included), existing ones only. */
  readonly sysPath: readonly string[];
  /**
   * The folders a sandbox must show read-only for this interpreter to start and import its
   * library: prefixes and `sys.path` roots, the executable's folder, nested ones left out.
   */
  readonly roots: readonly string[];
  /**
   * Whether the `caplab` package's bytecode is compiled for this interpreter (its `__pycache__`,
   * as pip would have written it): a runner then loads it instead of compiling ~900 lines, ~6 ms
   * of CPU at every start. False where the package folder is read-only; runs work either way.
   */
  readonly bytecode: boolean;
}

/**
 * What the interpreter says of itself, and the runtime package compiled to bytecode by it (only the
 * out-of-date files; atomic writes, so a runner starting meanwhile reads a whole file or none; a
 * source edited later makes its file stale, which Python then ignores).
 */
const PROBE = `import json, sys
bytecode = False
try:
    import compileall
    bytecode = bool(compileall.compile_dir(sys.argv[1], quiet=2))
except Exception:
    pass
print(json.dumps({'executable': sys.executable, 'version': sys.version.split()[0],
  'prefixes': sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}),
  'path': [p for p in sys.path if p], 'bytecode': bytecode}))`;
const PROBE_ARGS = ['-I', '-c', PROBE, join(PYTHON_PACKAGE_DIR, 'caplab')];

const cache = new Map<string, PythonInterpreter>();
/** A background probe's failure, for the next `resolvePython` of the command to report (once: a fixed interpreter is found next time). */
const failed = new Map<string, Error>();

/** The configured interpreter command: `CAPLAB_PYTHON`, else `python3`. */
export function configuredPython(explicit?: string): string {
  return explicit ?? (process.env['CAPLAB_PYTHON'] || 'python3');
}

/** Resolve (once per process and command) the configured interpreter; throws a clear error. */
export function resolvePython(explicit?: string): PythonInterpreter {
  const command = configuredPython(explicit);
  const known = cache.get(command);
  if (known) return known;
  const failure = failed.get(command);
  if (failure) {
    failed.delete(command);
    throw failure;
  }
  let output: string;
  try {
    output = execFileSync(command, PROBE_ARGS, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_MS });
  } catch (error) {
    throw cannotStart(command, error);
  }
  return remember(command, output);
}

/**
 * `resolvePython` without blocking this thread: the probe (through a pyenv shim ~300 ms) runs
 * while the caller does something else (a bench slot starts its simulator). The next
 * `resolvePython` of the same command finds the result.
 */
export async function resolvePythonInBackground(explicit?: string): Promise<PythonInterpreter> {
  const command = configuredPython(explicit);
  const known = cache.get(command);
  if (known) return known;
  const output = await new Promise<string>((resolve, reject) => {
    execFile(command, PROBE_ARGS, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS }, (error, stdout) => (error ? reject(cannotStart(command, error)) : resolve(stdout)));
  });
  return cache.get(command) ?? remember(command, output);
}

/**
 * Resolve the interpreter off this thread before a run starts a process, so that the synchronous
 * `resolvePython` a process start makes finds it known. The probe through a pyenv shim is ~300 ms
 * on an idle machine and seconds on a loaded one: done in place it stalled the thread that also
 * serves the supervisor, the serial line and the camera stream (a rehearsal on the virtual bench
 * saw its camera 'stalled' for 3 s). A failure is handed to that `resolvePython` to report where it
 * did, without probing again in place.
 */
export async function pythonReady(explicit?: string): Promise<void> {
  const command = configuredPython(explicit);
  await resolvePythonInBackground(command).catch((error: Error) => failed.set(command, error));
}

const PROBE_TIMEOUT_MS = 20_000;

function cannotStart(command: string, error: unknown): Error {
  const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message.split('\n')[0];
  return new Error(`the Python interpreter '${command}' cannot be started (${why}); set CAPLAB_PYTHON to a python3 (3.9 or newer)`);
}

/** The interpreter the probe printed, kept for the command. */
function remember(command: string, output: string): PythonInterpreter {
  const probe = JSON.parse(output) as { executable: string; version: string; prefixes: string[]; path: string[]; bytecode: boolean };
  if (!isAbsolute(probe.executable)) throw new Error(`the Python interpreter '${command}' does not know its own path (sys.executable '${probe.executable}')`);
  const sysPath = probe.path.filter((p) => isAbsolute(p) && existsSync(p));
  const interpreter: PythonInterpreter = {
    command,
    executable: probe.executable,
    version: probe.version,
    sysPath,
    roots: outermost([...probe.prefixes, dirname(probe.executable), ...sysPath.map((p) => (p.endsWith('.zip') ? dirname(p) : p))]),
    bytecode: probe.bytecode,
  };
  cache.set(command, interpreter);
  return interpreter;
}

/** The folders of `paths` that are not inside another of them (and not `/` itself). */
export function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths.filter((p) => isAbsolute(p) && p !== sep && existsSync(p)))].sort();
  return unique.filter((path) => !unique.some((other) => other !== path && path.startsWith(other.endsWith(sep) ? other : other + sep)));
}
