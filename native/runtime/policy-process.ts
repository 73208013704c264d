/**
 * How the policy process is started: the environment of `python3 -m caplab._runner` (it carries
 * none of the host's secrets), and the API the runner is welcomed with once it presents its token.
 */
import { fileURLToPath } from 'node:url';
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
