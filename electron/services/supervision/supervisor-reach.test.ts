/**
 * The supervisor is out of the policy's reach: it runs in the host and the policy is another
 * process (python3 in a pty), so a policy that busy-loops, freezes itself (stops reading its
 * socket) or floods calls cannot delay an e-stop or a disarm: the halt reaches the backend inside
 * the operator's own call, and the run ends. Real parts: python3, the Unix-socket RPC, MuJoCo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { loadTask } from '../trials/catalog.ts';
import { ConsoleSafety } from './console-safety.ts';
import { watchPolicyHeartbeat } from './policy-watchdog.ts';
import { runSupervised } from './supervised-run.ts';

const task = loadTask('cube-lift');
const layout = WORKCELLS[task.workcell];
let backend: SimBackend;
const halts: string[] = [];

beforeAll(async () => {
  backend = await SimBackend.start(task);
  const halt = backend.halt.bind(backend);
  backend.halt = (reason) => {
    halts.push(reason);
    halt(reason);
  };
});
afterAll(async () => {
  await backend?.dispose();
});

// Each program first starts a long move without waiting, then misbehaves.
const START_MOVE = `position_m, quat_wxyz = get_ee_pose()
move_to_pose([position_m[0], position_m[1], position_m[2] + 0.25], quat_wxyz, wait=False)
print("moving", flush=True)
`;
// The operator acts once the move was served (and the misbehaviour begun), or, for a policy that
// froze itself, once the policy has been silent for 600 ms (no heartbeat: it reads nothing).
const PROGRAMS: Record<string, { source: string; actWhen: 'moving' | 'silent' }> = {
  'busy-loops': { source: `${START_MOVE}while True:\n    pass\n`, actWhen: 'moving' },
  'stops reading its socket (SIGSTOP on itself)': { source: `import os, signal\n${START_MOVE}os.kill(os.getpid(), signal.SIGSTOP)\n`, actWhen: 'silent' },
  'floods calls from eight threads': {
    source: `import threading\n${START_MOVE}def flood():\n    while True:\n        get_ee_pose()\nfor _ in range(8):\n    threading.Thread(target=flood, daemon=True).start()\nwhile True:\n    get_ee_pose()\n`,
    actWhen: 'moving',
  },
};

/** Run the program armed; `act` is the operator's, called once the policy misbehaves with its move going. */
async function misbehave({ source, actWhen }: (typeof PROGRAMS)[string], act: (stop: AbortController, safety: ConsoleSafety) => void): Promise<{ status: string; reason: string; events: PolicyEvent[]; haltsInsideAct: string[] }> {
  await backend.reset(1, TIERS.S1.grounding);
  backend.resume();
  halts.length = 0;
  const safety = new ConsoleSafety(() => {});
  safety.arm();
  const alive = setInterval(() => safety.heartbeat(), 250); // the console is alive, as the renderer says
  const stop = new AbortController();
  const events: PolicyEvent[] = [];
  let haltsInsideAct: string[] = [];
  let acted = false;
  const fire = (): void => {
    if (acted) return;
    acted = true;
    act(stop, safety);
    haltsInsideAct = [...halts];
    if (!stop.signal.aborted) stop.abort();
  };
  let stopWatching = (): void => {};
  try {
    const result = await runSupervised({
      backend,
      programSource: source,
      programName: 'hostile.py',
      tier: TIERS.S1,
      arms: layout.arms.map((arm) => arm.name),
      workspace: layout.workspace,
      armLimits: { requireArming: true },
      arming: safety,
      limits: { wallClockMs: 60_000, cpuSeconds: 60, memoryBytes: 1024 ** 3 },
      signal: stop.signal,
      onPolicyRun: (run) => {
        if (actWhen === 'silent') stopWatching = watchPolicyHeartbeat(run, 600, fire);
      },
      onEvent: (event) => {
        events.push(event);
        // A turn of the event loop lets the misbehaviour start; then the halt must be inside the operator's call.
        if (actWhen === 'moving' && event.kind === 'api-call' && event.fn === 'move_to_pose' && event.ok) setImmediate(fire);
      },
    });
    return { status: result.status, reason: result.reason, events, haltsInsideAct };
  } finally {
    stopWatching();
    clearInterval(alive);
    safety.dispose();
  }
}

describe('a policy cannot delay the supervisor', () => {
  for (const [how, program] of Object.entries(PROGRAMS)) {
    it(`e-stop while the policy ${how}: the halt is inside the STOP, and the run ends cancelled`, async () => {
      const run = await misbehave(program, (stop) => stop.abort());
      expect(run.haltsInsideAct).toEqual(['stopped by operator']);
      expect(run.status).toBe('cancelled');
      expect(run.events).toContainEqual(expect.objectContaining({ kind: 'safety', reason: 'e-stop: stopped by operator' }));
    });

    it(`disarm while the policy ${how}: the motion in flight halts inside the Disarm`, async () => {
      const run = await misbehave(program, (_stop, safety) => safety.disarm());
      expect(run.haltsInsideAct).toEqual(['the operator disarmed during a motion']);
      expect(run.events).toContainEqual(expect.objectContaining({ kind: 'safety', reason: 'disarmed: the operator disarmed; motion is refused from now on' }));
      expect(run.status).toBe('cancelled');
    });
  }
});
