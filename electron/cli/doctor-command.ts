/** `caplab doctor`: checks the pieces a run needs and says what is missing. */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolvePython } from '../../native/runtime/python-interpreter.ts';
import { detectSandbox } from '../../native/runtime/sandbox.ts';
import type { CliIo } from './args.ts';

const require = createRequire(import.meta.url);

interface Check {
  readonly name: string;
  readonly run: () => string | Promise<string>;
}

/** The sandbox kind and what it enforces, one area a line; never a failure (runs work without). */
function sandboxReport(): string {
  const sandbox = detectSandbox();
  const areas = Object.entries(sandbox.enforces).map(([area, what]) => `\n        ${area.padEnd(10)} ${what}`);
  const warning = sandbox.kind === 'none' ? ' — policies run unsandboxed; a real arm needs --unsandboxed' : '';
  return `${sandbox.kind}: ${sandbox.detail}${warning}${areas.join('')}`;
}

const CHECKS: readonly Check[] = [
  { name: 'node', run: () => process.version },
  {
    name: 'python',
    run: () => {
      const python = resolvePython();
      const from = python.command === python.executable ? '' : ` (from ${python.command}${process.env['CAPLAB_PYTHON'] ? ', CAPLAB_PYTHON' : ''})`;
      const bytecode = python.bytecode ? 'policy runtime bytecode compiled' : 'policy runtime bytecode not writable here (each policy start compiles it, ~6 ms)';
      return `${python.version} at ${python.executable}${from}; ${bytecode}`;
    },
  },
  {
    name: 'numpy (optional)',
    run: () => {
      try {
        return execFileSync(resolvePython().executable, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8', stdio: 'pipe' }).trim();
      } catch {
        return 'not importable (fine: policies need only the standard library)';
      }
    },
  },
  { name: 'sandbox', run: sandboxReport },
  { name: 'node-pty', run: () => (require('node-pty') ? 'loads' : 'missing') },
  {
    name: 'mujoco (wasm)',
    run: async () => {
      const { default: loadMujoco } = await import('@mujoco/mujoco');
      await loadMujoco();
      return 'loads';
    },
  },
  {
    name: 'electron (optional)',
    run: () => {
      try {
        // Under plain Node the `electron` package is only the path of its binary, not Electron's
        // API: asking whether it installed is the one use outside electron/main and preload.
        // eslint-disable-next-line caplab/layers -- a presence check, not an import of Electron
        return `installed: ${String(require('electron'))}`;
      } catch {
        return 'not installed: npm start uses browser mode';
      }
    },
  },
];

/** Execute `caplab doctor`; exit 1 when a required check fails. */
export async function doctorCommand(_options: Record<string, never>, io: CliIo): Promise<number> {
  let failed = 0;
  for (const check of CHECKS) {
    try {
      io.out.write(`ok    ${check.name.padEnd(20)} ${await check.run()}\n`);
    } catch (error) {
      failed += 1;
      io.out.write(`FAIL  ${check.name.padEnd(20)} ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}
