/**
 * How a policy program ended, in words: the status, the one-line reason and the exception, decided
 * from what the host did (wall clock, cancel), what the runner reported and how the process ended.
 */
import type { PolicyException, PolicyExitStatus } from '../../shared/run.ts';
import type { ExitMessage } from './policy-connection.ts';
import type { PolicyLimits } from './policy-limits.ts';

/** The host stopped the program: its wall clock ran out, or someone cancelled it. */
export interface HostEnding {
  readonly status: 'timeout' | 'cancelled';
  readonly reason: string;
}

/** How the policy process ended, as node-pty reports it. */
export interface ProcessExit {
  readonly exitCode: number;
  readonly signal: number | undefined;
}

const SIGXCPU = 24;
const SIGKILL = 9;

/** Seconds for a reason line: 1500 ms → "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** Decide status, reason and exception from what the host did and what the runner reported. */
export function conclude(
  hostEnding: HostEnding | null,
  exitMessage: ExitMessage | null,
  exit: ProcessExit,
  limits: PolicyLimits,
  terminal: string,
  wallMs: number,
): { status: PolicyExitStatus; reason: string; exception: PolicyException | null } {
  const exception = exitMessage?.exception ?? null;
  const where = exception?.line ? ` (at line ${exception.line})` : '';
  if (hostEnding) return { status: hostEnding.status, reason: `${hostEnding.reason}${where}`, exception };
  if (exitMessage) {
    const status = exitMessage.status;
    if (status === 'completed') return { status, reason: 'program finished', exception: null };
    if (exitMessage.reason) return { status, reason: `${exitMessage.reason}${where}`, exception };
    if (exception) {
      const line = exception.line ? ` (line ${exception.line})` : '';
      return { status, reason: `${exception.type}: ${exception.message}${line}`, exception };
    }
    return { status, reason: status === 'cancelled' ? 'interrupted (KeyboardInterrupt)' : status, exception };
  }
  if (exit.signal === SIGXCPU) {
    return { status: 'resource-limit', reason: `CPU time limit of ${limits.cpuSeconds} s exceeded`, exception: null };
  }
  // The kernel sends SIGKILL at the hard CPU limit (soft + 2 s) when the program swallowed the
  // soft-limit exception. We did not send it (no host ending) and enough time has passed for it.
  if (exit.signal === SIGKILL && wallMs >= limits.cpuSeconds * 1000) {
    return { status: 'resource-limit', reason: `CPU time limit of ${limits.cpuSeconds} s exceeded (killed)`, exception: null };
  }
  const tail = terminal.trim().split('\n').slice(-3).join(' | ').slice(-300);
  return {
    status: 'crashed',
    reason: `the Python process ended without reporting (exit code ${exit.exitCode}, signal ${exit.signal ?? 'none'})${tail ? `: ${tail}` : ''}`,
    exception: null,
  };
}
