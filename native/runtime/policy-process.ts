/**
 * How the policy process is started: `python3 -m caplab._runner` under node-pty (the operator's
 * terminal), with an environment that carries none of the host's secrets, and the API it is
 * welcomed with once it presents its token.
 */
import { fileURLToPath } from 'node:url';
import { spawn, type IPty } from 'node-pty';
import { renderDocstring } from '../../shared/api/docs.ts';
import type { ApiFunctionSpec } from '../../shared/api/types.ts';

export const PYTHON_PACKAGE_DIR = fileURLToPath(new URL('../python', import.meta.url));

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

/** The environment of the policy process: no secrets of the host (API keys) leak into it. */
export function policyEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, TERM: 'xterm-256color', PAGER: 'cat', PYTHONPATH: PYTHON_PACKAGE_DIR, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

/** What the runner is started with. */
export interface RunnerStart {
  readonly python: string;
  /** The private directory of this process (its working directory, where its socket is). */
  readonly dir: string;
  readonly socketPath: string;
  readonly token: string;
  /** The address-space limit of the whole process (CPU time is set program by program). */
  readonly memoryBytes: number;
}

/** Start the runner in a pty; it connects to `socketPath` and waits for programs. */
export function spawnRunner(start: RunnerStart): IPty {
  return spawn(start.python, ['-u', '-B', '-m', 'caplab._runner'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    cwd: start.dir,
    env: policyEnvironment({
      CAPLAB_SOCKET: start.socketPath,
      CAPLAB_TOKEN: start.token,
      CAPLAB_MEMORY_BYTES: String(Math.floor(start.memoryBytes)),
    }),
  });
}
