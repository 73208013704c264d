/**
 * What the CLI says about the policy sandbox at the start of a command that runs policies: a
 * warning when there is none (`serve` also names the kind when there is one). A real arm is not armed without a sandbox
 * unless the operator says `--unsandboxed`.
 */
import { detectSandbox } from '../../native/runtime/sandbox.ts';
import { UsageError, type CliIo } from './args.ts';

/** One line for the start of `run`, `bench` and `serve`: the sandbox, or a warning. */
export function sandboxLine(): string {
  const sandbox = detectSandbox();
  if (sandbox.kind !== 'none') return `sandbox: ${sandbox.kind} (policies: no network, read-only files but a scratch folder, own processes)\n`;
  return `WARNING: policies run WITHOUT a sandbox (${sandbox.detail}): a program can read your files, use the network and signal your processes\n`;
}

/** Warn on stderr when policies will run without a sandbox (nothing to say when they will not). */
export function announceSandbox(io: CliIo): void {
  if (detectSandbox().kind === 'none') io.err.write(sandboxLine());
}

/** Refuse to arm a real arm without a sandbox unless the operator said `--unsandboxed`. */
export function requireSandboxForRealArm(robot: string, unsandboxed: boolean | undefined): void {
  const sandbox = detectSandbox();
  if (sandbox.kind !== 'none' || unsandboxed) return;
  throw new UsageError(
    `--robot ${robot}: no policy sandbox here (${sandbox.detail}); a program next to a real arm would run with full access. Install bubblewrap, or add --unsandboxed to arm it anyway`,
  );
}
