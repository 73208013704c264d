// The sandbox's pieces: the interpreter resolution, bubblewrap's arguments, the macOS profile,
// the bounded terminal, and real runs in and out of the sandbox (Ctrl-C typed, children reaped).
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiFunctionSpec } from '../../shared/api/types.ts';
import type { PolicyEvent } from '../../shared/run.ts';
import { BoundedText } from './bounded-text.ts';
import { runPolicy } from './policy-host.ts';
import { outermost, PYTHON_PACKAGE_DIR, resolvePython } from './python-interpreter.ts';
import { bwrapArgs, detectSandbox, type SandboxLayout } from './sandbox.ts';
import { sandboxExecProfile } from './sandbox-macos.ts';

const LIMITS = { wallClockMs: 20_000, cpuSeconds: 20, memoryBytes: 1024 ** 3 };

function layout(): SandboxLayout {
  return { interpreter: resolvePython(), packageDir: PYTHON_PACKAGE_DIR, runDir: '/tmp/caplab-run-abc', scratchDir: '/tmp/caplab-run-abc/scratch' };
}

/** The values that follow `flag` in `args`, `count` at a time. */
function after(args: readonly string[], flag: string, count = 2): string[][] {
  return args.flatMap((arg, i) => (arg === flag ? [args.slice(i + 1, i + 1 + count)] : []));
}

describe('the interpreter', () => {
  const saved = process.env['CAPLAB_PYTHON'];
  afterEach(() => {
    if (saved === undefined) delete process.env['CAPLAB_PYTHON'];
    else process.env['CAPLAB_PYTHON'] = saved;
  });

  it('resolves python3 to its real executable once per process', () => {
    const python = resolvePython();
    expect(python.executable).toMatch(/^\//);
    expect(python.executable).not.toContain('/shims/');
    expect(python.version).toMatch(/^3\.\d+\.\d+/);
    expect(python.sysPath.some((p) => p.includes('python3'))).toBe(true);
    expect(resolvePython()).toBe(python);
  });

  it('takes CAPLAB_PYTHON, and says clearly when it cannot start', () => {
    process.env['CAPLAB_PYTHON'] = '/nonexistent/python3';
    expect(() => resolvePython()).toThrow("the Python interpreter '/nonexistent/python3' cannot be started (not found); set CAPLAB_PYTHON to a python3");
    process.env['CAPLAB_PYTHON'] = resolvePython('python3').executable;
    expect(resolvePython().command).toBe(process.env['CAPLAB_PYTHON']);
  });

  it('keeps only the outermost folders', () => {
    expect(outermost(['/usr/lib', '/usr', '/tmp', '/usr/lib/python3', '/nonexistent'])).toEqual(['/tmp', '/usr']);
  });
});

describe('bubblewrap arguments', () => {
  it('unshare the network and the PID space, die with the host, start a new session', () => {
    const args = bwrapArgs(layout());
    for (const flag of ['--unshare-net', '--unshare-pid', '--die-with-parent', '--new-session']) expect(args).toContain(flag);
    expect(after(args, '--proc', 1)).toEqual([['/proc']]);
  });

  it('show the interpreter and the package read-only, the scratch folder writable, and no home or /etc', () => {
    const args = bwrapArgs(layout());
    const readOnly = after(args, '--ro-bind').map(([source]) => source);
    expect(readOnly).toContain(PYTHON_PACKAGE_DIR);
    expect(readOnly).toContain('/tmp/caplab-run-abc');
    for (const root of resolvePython().roots.filter((r) => !r.startsWith('/usr/'))) expect(readOnly).toContain(root);
    expect(after(args, '--bind')).toEqual([['/tmp/caplab-run-abc/scratch', '/tmp/caplab-run-abc/scratch']]);
    for (const secret of ['/', '/root', '/home', '/etc', process.env['HOME'] ?? '/root']) expect(readOnly).not.toContain(secret);
    expect(after(args, '--ro-bind-try').map(([source]) => source)).toEqual(['/etc/ld.so.cache', '/etc/localtime']);
    // The private /tmp comes before the run folder is bound into it.
    expect(args.indexOf('/tmp')).toBeLessThan(args.indexOf('/tmp/caplab-run-abc'));
  });
});

describe('the macOS sandbox-exec profile (generated here; untested on a Mac)', () => {
  it("denies by default and the network but the run's socket; writes only to the scratch folder", () => {
    const profile = sandboxExecProfile({ ...layout(), scratchDir: '/private/var/folders/x/caplab-run-"q"/scratch', runDir: '/private/var/folders/x/caplab-run-"q"' });
    const lines = profile.split('\n');
    expect(lines.slice(0, 3)).toEqual(['(version 1)', '(deny default)', '(deny network*)']);
    expect(profile).toContain('(allow network-outbound (remote unix-socket (path-literal "/private/var/folders/x/caplab-run-\\"q\\"/host.sock")))');
    const writes = lines.filter((line) => line.includes('file-write*'));
    expect(writes).toEqual(['(allow file-read* file-write* (subpath "/private/var/folders/x/caplab-run-\\"q\\"/scratch") (subpath "/private/tmp") (subpath "/private/var/folders"))']);
    expect(profile).toContain(`(allow process-exec (literal "${resolvePython().executable}"))`);
    expect(profile).toContain('(allow signal (target self))');
    expect(profile).not.toMatch(/allow network\*|allow file-write\* \(subpath "\/"\)/);
  });
});

describe('the bounded terminal', () => {
  it('keeps the first and the last part and says how much was dropped', () => {
    const text = new BoundedText(10, 5);
    text.append('0123456789abc');
    for (let i = 0; i < 100; i += 1) text.append('xyz');
    text.append('THEEND');
    expect(text.text()).toBe(`0123456789\n[caplab] ${3 + 300 + 6 - 5} characters of terminal output dropped\nHEEND`);
    const short = new BoundedText(10, 5);
    short.append('hello');
    expect(short.text()).toBe('hello');
  });
});

/** Processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * The processes with `marker` once a group SIGKILL has had its effect: the kill is sent when the
 * run ends, but a loaded machine schedules the dying a moment later. Waits up to 2 s for them to go.
 */
async function survivorsAfterKill(marker: string): Promise<number[]> {
  const deadline = performance.now() + 2000;
  while (processesWith(marker).length > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return processesWith(marker);
}

describe('runs', () => {
  it.skipIf(detectSandbox().kind !== 'bwrap')('Ctrl-C typed into a sandboxed terminal is a KeyboardInterrupt', async () => {
    const run = runPolicy({ source: "print('ready', flush=True)\nimport time\nwhile True:\n    time.sleep(0.05)\n", api: [], onCall: () => Promise.resolve(null), limits: LIMITS });
    await new Promise<void>((resolve) => {
      const off = run.onTerminalData((data) => {
        if (data.includes('ready')) resolve(off() as unknown as void);
      });
    });
    run.write('\x03');
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.reason).toMatch(/^KeyboardInterrupt/);
    expect(result.sandbox).toBe('bwrap');
  });

  it("passes an allow-list of the host's environment: no keys or tokens, HOME in the scratch folder", async () => {
    process.env['OPENAI_API_KEY'] = 'sk-test-not-for-policies';
    process.env['GITHUB_TOKEN'] = 'ghp-test-not-for-policies';
    try {
      const source = 'import json, os\nprint(json.dumps({"keys": sorted(os.environ), "home": os.environ["HOME"], "cwd": os.getcwd()}))\n';
      const result = await runPolicy({ source, api: [], onCall: () => Promise.resolve(null), limits: LIMITS }).result;
      const seen = JSON.parse(result.stdout) as { keys: string[]; home: string; cwd: string };
      expect(seen.keys.filter((key) => /KEY|TOKEN|SECRET|PASSWORD/.test(key) && key !== 'CAPLAB_TOKEN')).toEqual([]);
      const allowed = ['PATH', 'PWD', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TERM', 'PAGER', 'HOME', 'TMPDIR', 'PYTHONDONTWRITEBYTECODE', 'CAPLAB_MEMORY_BYTES'];
      expect(seen.keys.filter((key) => !allowed.includes(key))).toEqual([]);
      expect(seen.home).toMatch(/\/caplab-run-\w+\/scratch$/);
      expect(seen.cwd).toBe(seen.home);
    } finally {
      delete process.env['OPENAI_API_KEY'];
      delete process.env['GITHUB_TOKEN'];
    }
  });

  it('started without site (-S), a program still has exit() and quit(), and the interpreter\'s site-packages', async () => {
    const source = "import sys\nprint(any(p.endswith('site-packages') for p in sys.path), callable(quit))\nexit()\nprint('not reached')\n";
    const result = await runPolicy({ source, api: [], onCall: () => Promise.resolve(null), limits: LIMITS }).result;
    expect(result.status, result.reason).toBe('completed');
    expect(result.stdout).toBe('True True\n');
  });

  it('unsandboxed, the children of a run end with it (its process group is killed)', async () => {
    const marker = `caplab-unsandboxed-child-${process.pid}`;
    // They ignore the hangup the closing terminal sends: only the group kill ends them.
    const source = `import subprocess\nfor _ in range(3):\n    subprocess.Popen(['/bin/sh', '-c', 'trap "" HUP; sleep 60; :', '${marker}'])\nprint('started')\n`;
    const result = await runPolicy({ source, api: [], onCall: () => Promise.resolve(null), limits: LIMITS, unsandboxed: true }).result;
    expect(result.status, result.reason).toBe('completed');
    expect(result.sandbox).toBe('none');
    expect(await survivorsAfterKill(marker)).toEqual([]);
  });

  it("caps a program's events, says so in its stderr and its reason, and still reports its exception", async () => {
    const events: PolicyEvent[] = [];
    const noop: ApiFunctionSpec = { name: 'noop', summary: 'Nothing.', params: [], returns: { pythonType: 'None', description: 'Nothing.' }, levels: ['high'], moves: false };
    const result = await runPolicy({
      source: 'for _ in range(200):\n    noop()\nraise ValueError("after the cap")\n',
      api: [noop],
      onCall: () => Promise.resolve(null),
      onEvent: (event) => events.push(event),
      limits: { ...LIMITS, maxEvents: 50 },
      trace: false,
    }).result;
    expect(events.filter((e) => e.kind === 'api-call')).toHaveLength(49);
    expect(events.some((e) => e.kind === 'stderr' && e.text.includes('event cap of 50 reached'))).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'exception', exception: { type: 'ValueError' } });
    expect(result.reason).toMatch(/^ValueError: after the cap \(line 3\); events capped at 50 \(\d+ dropped\)$/);
  });
});
