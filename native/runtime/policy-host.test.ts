// The policy runtime through its real parts: python3 in a pty, the Unix socket, the runner.
import { readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROBOT_API } from '../../shared/api/spec.ts';
import type { RawCall } from '../../shared/api/types.ts';
import { ApiError } from '../../shared/errors.ts';
import type { PolicyEvent } from '../../shared/run.ts';
import { runPolicy, type RunPolicyOptions } from './policy-host.ts';
import { formatSeconds } from './policy-outcome.ts';
import { measureRpcRoundTrip } from './rpc-bench.ts';

const LIMITS = { wallClockMs: 20_000, cpuSeconds: 20, memoryBytes: 1024 ** 3 };

function start(source: string, extra: Partial<RunPolicyOptions> = {}) {
  const events: PolicyEvent[] = [];
  const calls: RawCall[] = [];
  const run = runPolicy({
    source,
    api: ROBOT_API,
    onCall: async (call) => {
      calls.push(call);
      return [
        [0.5, 0, 0.3],
        [0, 1, 0, 0],
      ];
    },
    onEvent: (event) => events.push(event),
    limits: LIMITS,
    ...extra,
  });
  return { run, events, calls };
}

const lines = (events: PolicyEvent[]): number[] => events.flatMap((e) => (e.kind === 'line' ? [e.line] : []));

describe('runPolicy', () => {
  it('reports each executed line of the program, in order', async () => {
    const { run, events } = start('a = 1\nfor i in range(2):\n    a += i\nprint(a)\n');
    const result = await run.result;
    expect(result.status).toBe('completed');
    expect(lines(events)).toEqual([1, 2, 3, 2, 3, 2, 4]);
    expect(result.stdout).toBe('2\n');
  });

  it('sends positional and keyword arguments to the host and returns its value (tuples as tuples)', async () => {
    const { run, calls, events } = start(
      "pose = get_ee_pose()\nprint(type(pose).__name__, pose[0])\nmove_to_pose([0.4, 0, 0.2], quat_wxyz=[0, 1, 0, 0])\nhelp(move_to_pose)\n",
    );
    const result = await run.result;
    expect(result.status, result.reason).toBe('completed');
    expect(result.stdout).toContain('tuple [0.5, 0, 0.3]');
    expect(calls[1]).toEqual({ fn: 'move_to_pose', args: [[0.4, 0, 0.2]], kwargs: { quat_wxyz: [0, 1, 0, 0] } });
    const call = events.find((e) => e.kind === 'api-call' && e.fn === 'move_to_pose');
    expect(call).toMatchObject({ ok: true, args: { position_m: [0.4, 0, 0.2], quat_wxyz: [0, 1, 0, 0] } });
    // help() shows the docstring rendered from the spec.
    expect(result.stdout).toContain('Move the gripper centre to a pose and wait until it gets there.');
    // The signature help() shows carries the spec's defaults (the host still validates).
    const withDefault = ROBOT_API.flatMap((spec) => spec.params.filter((p) => p.default !== undefined).map((p) => [spec.name, p] as const))[0];
    if (withDefault) {
      const [fn, param] = withDefault;
      const shown = await start(`import inspect\nprint(inspect.signature(${fn}))\n`).run.result;
      expect(shown.stdout).toContain(`${param.name}=`);
    }
  });

  it('raises the host error as the mapped Python exception, with the failing line', async () => {
    const { run, events } = start('x = 1\ntry:\n    move_to_joints([1, 2])\nexcept TypeError as e:\n    print("caught", e.parameter)\nmove_to_joints([1, 2])\n', {
      onCall: () => Promise.reject(new ApiError('invalid_argument', "move_to_joints(): parameter 'q_rad' expects 7 numbers", { parameter: 'q_rad' })),
    });
    const result = await run.result;
    expect(result.stdout).toContain('caught q_rad');
    expect(result.status).toBe('exception');
    expect(result.exception).toMatchObject({ type: 'ApiArgumentError', line: 6 });
    expect(result.exception?.message).toContain("parameter 'q_rad' expects 7 numbers");
    expect(result.exception?.traceback.at(-1)).toMatchObject({ file: 'policy.py', line: 6, code: 'move_to_joints([1, 2])' });
    expect(result.reason).toMatch(/^ApiArgumentError: .* \(line 6\)$/);
    expect(result.stderr).toContain('Traceback (most recent call last)');
    expect(events.filter((e) => e.kind === 'exception')).toHaveLength(1);
  });

  it('reports a name that is not in the API as a NameError', async () => {
    const result = await start('open_gripper()\nfly_away()\n').run.result;
    expect(result.exception).toMatchObject({ type: 'NameError', line: 2 });
  });

  it('reports a syntax error with its line', async () => {
    const result = await start('x = 1\nif x\n    pass\n', { fileName: 'broken.py' }).run.result;
    expect(result.status).toBe('exception');
    expect(result.exception).toMatchObject({ type: 'SyntaxError', line: 2 });
  });

  it('keeps stdout and stderr apart while the terminal shows both', async () => {
    const result = await start("import sys\nprint('to out')\nprint('to err', file=sys.stderr)\n").run.result;
    expect(result.stdout).toBe('to out\n');
    expect(result.stderr).toBe('to err\n');
    expect(result.terminal).toContain('to out');
    expect(result.terminal).toContain('to err');
  });

  it('stops an endless loop at the wall-clock limit and says why; the next run works', async () => {
    const { run, events } = start('x = 0\nwhile True:\n    x += 1\n', {
      limits: { ...LIMITS, wallClockMs: 1500 },
    });
    const result = await run.result;
    expect(result.status).toBe('timeout');
    expect(result.reason).toMatch(/wall-clock limit of 1\.5 s/);
    expect(result.wallMs).toBeGreaterThanOrEqual(1500);
    // The tracer caps what it reports and says how much it left out.
    expect(events.some((e) => e.kind === 'lines-dropped')).toBe(true);
    const next = await start('print("again")\n').run.result;
    expect(next.status).toBe('completed');
    expect(next.stdout).toBe('again\n');
  });

  it('cancels with KeyboardInterrupt, also while an API call is in flight', async () => {
    const busy = start('while True:\n    pass\n');
    busy.run.onTerminalData(() => busy.run.cancel('operator stop'));
    setTimeout(() => busy.run.cancel('operator stop'), 300);
    const stopped = await busy.run.result;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.reason).toContain('operator stop');

    let callStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      callStarted = resolve;
    });
    const waiting = start('open_gripper()\n', {
      onCall: () => {
        callStarted();
        return new Promise(() => {});
      },
    });
    await started;
    waiting.run.cancel('stop during a call');
    const result = await waiting.run.result;
    expect(result.status).toBe('cancelled');
    expect(result.exception?.line).toBe(1);
  });

  it('kills a program that ignores KeyboardInterrupt after the grace period', async () => {
    // The interrupt is sent once the loop runs: sent while Python is still starting, it would end
    // the process before the program could ignore it.
    const stubborn = start('import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)\n', {
      cancelGraceMs: 300,
      onEvent: (event) => {
        if (event.kind === 'line' && event.line === 4) stubborn.run.cancel('must stop');
      },
    });
    const result = await stubborn.run.result;
    expect(result.status).toBe('cancelled');
    expect(result.signal).toBe(9);
  });

  it('ends a program that exceeds the memory limit with resource-limit', async () => {
    const result = await start('x = bytearray(2_000_000_000)\n', { limits: { ...LIMITS, memoryBytes: 512 * 1024 ** 2 } })
      .run.result;
    expect(result.status).toBe('resource-limit');
    expect(result.reason).toMatch(/memory limit of 512 MiB/);
  });

  it('reports a program that filled the memory limit with small objects as resource-limit, not a silent crash', async () => {
    // No room is left to format the exception: the runner's reserve is what it reports with.
    const result = await start('x = []\nwhile True:\n    x.append(str(len(x)) * 3)\n', { limits: { ...LIMITS, memoryBytes: 256 * 1024 ** 2 } })
      .run.result;
    expect(result.status).toBe('resource-limit');
    expect(result.reason).toMatch(/memory limit of 256 MiB/);
    expect(result.exception?.line).toBe(3);
  });

  it('ends a program that exceeds the CPU limit with resource-limit', async () => {
    const result = await start('while True:\n    pass\n', { limits: { ...LIMITS, cpuSeconds: 1 } }).run.result;
    expect(result.status).toBe('resource-limit');
    expect(result.reason).toMatch(/CPU time limit of 1 s/);
  });

  it('reports the kernel kill at the hard CPU limit as resource-limit, not a crash', async () => {
    const swallow = 'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n';
    const result = await start(swallow, { limits: { ...LIMITS, cpuSeconds: 1 } }).run.result;
    expect(result.status, result.reason).toBe('resource-limit');
    expect(result.signal).toBe(9);
    expect(result.reason).toMatch(/CPU time limit of 1 s exceeded/);
  });

  it('refuses a connection that does not present the run token', async () => {
    const before = new Set(readdirSync(tmpdir()));
    let release!: () => void;
    const gate = new Promise<null>((resolve) => {
      release = () => resolve(null);
    });
    const { run } = start('get_ee_pose()\nimport os\nprint(sorted(k for k in os.environ if k.startswith("CAPLAB")))\n', {
      onCall: () => gate,
    });
    // The socket lives in the run's private temp dir (mode 0700, created for this run).
    const dir = readdirSync(tmpdir()).find((name) => name.startsWith('caplab-run-') && !before.has(name));
    expect(dir).toBeDefined();
    const reply = await new Promise<string>((resolve) => {
      const intruder = createConnection(join(tmpdir(), dir!, 'host.sock'), () =>
        intruder.write('{"t":"hello","token":"guess"}\n'),
      );
      let received = '';
      intruder.on('data', (d) => (received += d.toString()));
      intruder.on('close', () => resolve(received));
      intruder.on('error', () => resolve(received));
    });
    expect(reply).toBe('');
    release();
    const result = await run.result;
    expect(result.status, result.reason).toBe('completed');
    // The token and the socket path are not left in the program's environment (the program and
    // its limits come over the socket; only the process's memory limit is in the environment).
    expect(result.stdout).toBe("['CAPLAB_MEMORY_BYTES']\n");
  });

  it('measures the no-op RPC round trip through the real runtime', async () => {
    const { medianUs, p99Us } = await measureRpcRoundTrip(300);
    expect(medianUs).toBeGreaterThan(0);
    expect(p99Us).toBeGreaterThanOrEqual(medianUs);
    const untraced = await measureRpcRoundTrip(300, { trace: false });
    expect(untraced.medianUs).toBeGreaterThan(0);
  });

  it('formats limits for reasons', () => {
    expect(formatSeconds(1500)).toBe('1.5 s');
    expect(formatSeconds(60_000)).toBe('60 s');
  });
});
