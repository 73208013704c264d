/**
 * The policy heartbeat watchdog: the runner's heartbeat thread sends a message every 250 ms, also
 * while the program waits on a blocking call (the host is the busy one then). A policy that sends
 * nothing for longer than the limit is frozen: stopped (SIGSTOP), or stuck in C code that holds
 * the interpreter. What to do about it (stop the arm, cancel the run) is the caller's decision.
 */
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';

/** Silence after which a policy counts as frozen, ms: eight missed heartbeats. */
export const DEFAULT_POLICY_HEARTBEAT_MS = 2000;

/**
 * Call `onSilent` once when the run has been silent for `silentAfterMs`, and again only after it
 * spoke in between. Returns the function that stops watching.
 */
export function watchPolicyHeartbeat(
  run: Pick<PolicyRun, 'silentMs'>,
  silentAfterMs: number,
  onSilent: (silentMs: number) => void,
): () => void {
  let reported = false;
  let confirming: NodeJS.Immediate | undefined;
  // A check that finds silence looks again after the event loop's I/O phase: when the host itself
  // was busy, the heartbeats may be waiting unread in the socket, and that is not the policy's fault.
  const confirm = (): void => {
    confirming = undefined;
    const silentMs = run.silentMs();
    if (silentMs < silentAfterMs || reported) return;
    reported = true;
    onSilent(silentMs);
  };
  const timer = setInterval(
    () => {
      if (run.silentMs() < silentAfterMs) reported = false;
      else if (!reported && !confirming) confirming = setImmediate(confirm);
    },
    Math.max(10, Math.min(250, silentAfterMs / 4)),
  );
  timer.unref();
  return () => {
    clearInterval(timer);
    if (confirming) clearImmediate(confirming);
  };
}
