// A worker slot's warm runner with real processes: a fresh process per program, started while the
// last one ended; a warm process that died or was started for other options is not used; a
// disposed slot leaves no process behind (checked in /proc).
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiFunctionSpec } from '../../shared/api/types.ts';
import { runPolicy } from './policy-host.ts';
import { WarmRunner } from './warm-runner.ts';

const LIMITS = { wallClockMs: 20_000, cpuSeconds: 20, memoryBytes: 1024 ** 3 };
const fn = (name: string): ApiFunctionSpec => ({
  name,
  summary: `${name} (test).`,
  params: [],
  returns: { pythonType: 'None', description: 'Nothing.' },
  levels: ['high', 'reduced'],
  moves: false,
});

/** Processes under this one, at any depth (a runner's pty child, bwrap, its init, Python). */
function descendants(): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') parents.set(pid, Number(parent));
    } catch {
      // Gone while we looked.
    }
  }
  const mine = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) if (at === process.pid) return true;
    return false;
  };
  return [...parents.keys()].filter(mine);
}

/** A leftover process, as a failure names it. */
const named = (pid: number): string => {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 120)}`;
  } catch {
    return `${pid} (gone)`;
  }
};

/** Processes started since `before` that are still there. */
const since = (before: readonly number[]): number[] => descendants().filter((pid) => !before.includes(pid));

/** One program through the slot; resolves with its result and the host pid of its Python. */
async function program(warm: WarmRunner, source: string, api: readonly ApiFunctionSpec[] = [fn('mark')]): Promise<{ status: string; stdout: string; reason: string; pid: number }> {
  let pid = 0;
  const run = runPolicy({
    source,
    api,
    limits: LIMITS,
    warm,
    onCall: () => {
      pid = run.pid;
      return Promise.resolve(null);
    },
  });
  const result = await run.result;
  return { status: result.status, stdout: result.stdout, reason: result.reason, pid };
}

const slots: WarmRunner[] = [];
function slot(): WarmRunner {
  const warm = new WarmRunner();
  slots.push(warm);
  return warm;
}
afterEach(async () => {
  await Promise.all(slots.splice(0).map((s) => s.dispose()));
});

describe('WarmRunner', () => {
  it('gives each program a fresh process, all but the first already started', async () => {
    const warm = slot();
    const pids: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const ended = await program(warm, `x = globals().get('x', 0) + 1\nmark()\nprint(x)\n`);
      // A namespace of its own: nothing of the last program is left.
      expect(ended).toMatchObject({ status: 'completed', stdout: '1\n' });
      pids.push(ended.pid);
    }
    expect(new Set(pids).size).toBe(4);
    expect(warm.stats).toEqual({ warm: 3, cold: 1, discarded: 0, lastDiscard: null });
    // The fifth program's process is already waiting.
    expect(warm.waitingGone).not.toBeNull();
  });

  it('starts the next process while the first motion runs, not as the program starts', async () => {
    const warm = slot();
    const api = [fn('mark'), { ...fn('move'), moves: true }];
    // What each call saw of the slot once the host had done what it does after passing a call on
    // (the test's own two turns of the event loop: the host's deferred start comes in between).
    const seen: string[] = [];
    const looked = (name: string): Promise<null> =>
      new Promise((resolve) =>
        setImmediate(() =>
          setImmediate(() => {
            seen.push(`${name}: ${warm.waitingGone === null ? 'none waiting' : 'next waiting'}`);
            resolve(null);
          }),
        ),
      );
    await program(warm, 'mark()\n', api); // the slot's first process: started for this program
    expect(warm.waitingGone).not.toBeNull();
    const run = runPolicy({ source: 'mark()\nmove()\nmark()\nprint("done")\n', api, limits: LIMITS, warm, onCall: (call) => looked(call.fn) });
    const ended = await run.result;
    expect(ended).toMatchObject({ status: 'completed', stdout: 'done\n' });
    expect(seen).toEqual(['mark: none waiting', 'move: next waiting', 'mark: next waiting']);
    expect(warm.stats).toEqual({ warm: 1, cold: 1, discarded: 0, lastDiscard: null });
    // The one started during the motion is the next program's.
    expect(await program(warm, 'mark()\nprint("next")\n', api)).toMatchObject({ status: 'completed', stdout: 'next\n' });
    expect(warm.stats).toEqual({ warm: 2, cold: 1, discarded: 0, lastDiscard: null });
  });

  it('does not use a warm process started for another API: the program gets its own functions', async () => {
    const warm = slot();
    await program(warm, 'mark()\n');
    const ended = await program(warm, 'other()\nprint("other ran")\n', [fn('other')]);
    expect(ended).toMatchObject({ status: 'completed', stdout: 'other ran\n' });
    expect(warm.stats).toMatchObject({ warm: 0, cold: 2, discarded: 1 });
    expect(warm.stats.lastDiscard).toMatch(/started with other options/);
  });

  it('starts a fresh process when the warm one died before use, and says why', async () => {
    const warm = slot();
    const before = descendants();
    await program(warm, 'mark()\n');
    const gone = warm.waitingGone;
    expect(gone).not.toBeNull();
    const waiting = since(before);
    expect(waiting.length).toBeGreaterThan(0);
    for (const pid of waiting) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // A start-up helper of bwrap's that already ended.
      }
    }
    await gone;
    const ended = await program(warm, 'mark()\nprint("fresh")\n');
    expect(ended).toMatchObject({ status: 'completed', stdout: 'fresh\n' });
    expect(warm.stats).toMatchObject({ warm: 0, cold: 2, discarded: 1 });
    expect(warm.stats.lastDiscard).toMatch(/exited before it was used \((signal 9|exit code \d+)\)/);
  });

  it('a disposed slot leaves no process behind and takes no more programs', async () => {
    const warm = slot();
    const before = descendants();
    await program(warm, 'mark()\n');
    expect(since(before).length).toBeGreaterThan(0);
    await warm.dispose();
    const left = since(before);
    expect(left.map(named)).toEqual([]);
    expect(() => warm.take({ api: [], memoryBytes: LIMITS.memoryBytes })).toThrow(/disposed/);
  });

  it('starts no process in the background when no next program is expected (a bench with no trial left)', async () => {
    let more = true;
    const warm = new WarmRunner(() => more);
    slots.push(warm);
    await program(warm, 'mark()\n');
    expect(warm.waitingGone).not.toBeNull();
    const before = descendants();
    more = false;
    const ended = await program(warm, 'mark()\nprint("last")\n');
    expect(ended).toMatchObject({ status: 'completed', stdout: 'last\n' });
    expect(warm.stats).toEqual({ warm: 1, cold: 1, discarded: 0, lastDiscard: null });
    expect(warm.waitingGone).toBeNull();
    expect(since(before).map(named)).toEqual([]);
  });
});
