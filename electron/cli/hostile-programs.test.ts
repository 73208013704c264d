// The programs of resources/hostile/ through `caplab run --task cube-lift --program FILE`, as a
// user would run them: each gets its clear reason, the host lives (this process: the CLI runs in
// it), the next run works, nothing is written outside the run's scratch folder, no process is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialOutcome } from '../../shared/run.ts';
import { PYTHON_PACKAGE_DIR, pythonReady } from '../../native/runtime/python-interpreter.ts';
import { detectSandbox } from '../../native/runtime/sandbox.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const HOSTILE_DIR = new URL('../../resources/hostile/', import.meta.url);
const workDir = mkdtempSync(join(tmpdir(), 'caplab-hostile-'));
const dbDir = mkdtempSync(join(tmpdir(), 'caplab-hostile-db-'));
const db = join(dbDir, 'runs.db');
const sandboxed = detectSandbox().kind === 'bwrap';

/** Every file under `dir` with its size and modification time (what a write would change). */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.endsWith('.json'))
    .map((name) => {
      const stat = statSync(join(dir, name));
      return `${name} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

/** The parent pid of `pid` (0 when it is gone). */
function parentOf(pid: number): number {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** `pid` descends from this test process (other test files' runners run beside ours). */
function ours(pid: number): boolean {
  for (let at = parentOf(pid), hops = 0; at > 1 && hops < 64; at = parentOf(at), hops += 1) if (at === process.pid) return true;
  return false;
}

/**
 * Processes left of this suite's runs: a hostile program's children (their command lines carry
 * `caplab-hostile-`, wherever they went) and the runners (bwrap, Python) this process started.
 */
function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // gone meanwhile
    }
    const runner = cmdline.includes(PYTHON_PACKAGE_DIR) && cmdline.includes('_runner');
    if (cmdline.includes('caplab-hostile-') || (runner && ours(Number(pid)))) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
  }
  return found;
}

/**
 * `leftovers()` once a SIGKILL has had its effect: the kernel ends a dead host's sandbox (its
 * PID namespace) at once, but a loaded machine schedules the dying a moment later (up to 2 s).
 */
async function leftoversAfterKill(): Promise<string[]> {
  const deadline = performance.now() + 2000;
  while (leftovers().length > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return leftovers();
}

interface HostileRun {
  readonly code: number;
  readonly outcome: TrialOutcome;
  readonly stdout: string;
  readonly out: string;
}

/** Run one hostile program through the CLI and check what every one of them must leave intact. */
async function runHostile(name: string, edit: (source: string) => string = (source) => source): Promise<HostileRun> {
  const file = join(workDir, name);
  writeFileSync(file, edit(readFileSync(new URL(name, HOSTILE_DIR), 'utf8')));
  const json = join(workDir, `${name}.json`);
  const before = { package: tree(PYTHON_PACKAGE_DIR), work: tree(workDir) };
  const c = capture();
  const code = await main(['run', '--task', 'cube-lift', '--program', file, '--db', db, '--quiet', '--json', json], c.io);
  const outcome = JSON.parse(readFileSync(json, 'utf8')) as TrialOutcome;
  // The host lived to report it: the run is saved and its reason is the last line.
  expect(c.out()).toMatch(/run \d+ saved in/);
  expect(c.out().trimEnd().split('\n').at(-1)).toBe(`${outcome.status}: ${outcome.reason}`);
  expect(tree(PYTHON_PACKAGE_DIR)).toEqual(before.package);
  expect(tree(workDir)).toEqual(before.work);
  expect(existsSync('/tmp/caplab-hostile-escape')).toBe(false);
  expect(leftovers()).toEqual([]);
  expect(outcome.policy.sandbox).toBe(detectSandbox().kind);
  return { code, outcome, stdout: outcome.policy.stdout, out: c.out() };
}

describe.skipIf(!sandboxed)('hostile programs in the bubblewrap sandbox', () => {
  let server: Server;
  let connections = 0;
  let secretHolder: ChildProcess;

  beforeAll(async () => {
    // The interpreter probe compiles the runtime's bytecode into the package folder (the host's
    // write, once): before the first run's snapshot of that folder, not inside it.
    await pythonReady();
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // A host process whose environment holds a secret, as a provider key would be.
    secretHolder = spawn('sleep', ['120'], { env: { ...process.env, CAPLAB_TEST_API_KEY: 'sk-hostile-canary' }, stdio: 'ignore' });
  });

  afterAll(() => {
    server.close();
    secretHolder.kill('SIGKILL');
  });

  it('os.system runs its shell inside the sandbox: no /etc/shadow, no home folders', async () => {
    const { stdout, code } = await runHostile('os-system.py');
    expect(code).toBe(1); // the cube was not lifted: an ordinary failure
    expect(stdout).toContain('os.system cat /etc/shadow exit status 1');
    expect(stdout).toContain('os.system sees home folders: False');
  });

  it("sees neither the host's processes nor their environment", async () => {
    const { stdout } = await runHostile('proc-environ.py');
    expect(stdout).toContain('parent pid 1');
    const visible = Number(/processes visible (\d+)/.exec(stdout)?.[1]);
    expect(visible).toBeLessThanOrEqual(3); // the namespace's init and the runner (and a passing ls)
    expect(stdout).toContain('host secret found: False');
    expect(stdout).toMatch(/parent cmdline starts (bwrap|\/usr\/bin\/bwrap)/);
  });

  it('cannot write into the caplab package, the run folder or the host /tmp; its HOME is the scratch folder', async () => {
    const { stdout } = await runHostile('write-package.py');
    expect(stdout).toMatch(/^package: refused \((PermissionError|OSError)\)$/m);
    expect(stdout).toMatch(/^run folder: refused/m);
    expect(stdout).toContain('tmp: written'); // its private /tmp, gone with it (checked above)
    expect(stdout).toContain('home: written');
  });

  it('has no network: not even the host loopback', async () => {
    const port = (server.address() as { port: number }).port;
    const { stdout } = await runHostile('tcp-connect.py', (source) => source.replace(/^PORT = \d+/m, `PORT = ${port}`));
    expect(stdout).toContain(`127.0.0.1:${port} refused`);
    expect(stdout).toMatch(/1\.1\.1\.1:443 refused \(OSError: Network is unreachable\)/);
    expect(connections).toBe(0);
  });

  it('reads no password hashes and no SSH keys', async () => {
    const { stdout } = await runHostile('read-secrets.py');
    expect(stdout).not.toContain('READ');
    expect(stdout).toContain('/etc/shadow refused FileNotFoundError');
    expect(stdout).toMatch(/^\/root\/\.ssh refused FileNotFoundError$/m);
    expect(stdout).toMatch(/^home is \/tmp\/caplab-run-\w+\/scratch$/m);
  });

  it('detached processes end with the run', async () => {
    const { stdout } = await runHostile('detached-processes.py');
    expect(stdout).toContain('started 20 detached processes');
  });

  it('cannot start more processes than the limit', async () => {
    const { stdout } = await runHostile('fork-bomb.py');
    const started = Number(/stopped after (\d+) processes: BlockingIOError/.exec(stdout)?.[1]);
    expect(started).toBeGreaterThan(10);
    expect(started).toBeLessThan(64);
  });

  it('nothing of a run outlives a host killed with SIGKILL', async () => {
    const file = join(workDir, 'outlive-host.py');
    writeFileSync(file, readFileSync(new URL('outlive-host.py', HOSTILE_DIR), 'utf8'));
    const cli = spawn(process.execPath, [fileURLToPath(new URL('../../bin/caplab.js', import.meta.url)), 'run', '--task', 'cube-lift', '--program', file, '--db', db], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      cli.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('» ready')) resolve();
      });
      cli.on('exit', () => reject(new Error(`caplab run ended first: ${out}`)));
    });
    expect(leftovers().length).toBeGreaterThan(0); // the policy and its child are running
    const exited = new Promise((resolve) => cli.on('exit', resolve));
    cli.kill('SIGKILL');
    await exited;
    expect(await leftoversAfterKill()).toEqual([]);
  });

  it('cannot kill the host: the signal never leaves the sandbox', async () => {
    const { stdout, code } = await runHostile('kill-parent.py');
    expect(code).toBe(1);
    expect(stdout).toContain('the program is still running');
  });
});

describe('hostile programs: bounds and clear reasons', () => {
  it('100 MB of output is capped, counted and said in the reason; the store stays small', async () => {
    const { outcome } = await runHostile('print-100mb.py');
    expect(outcome.reason).toMatch(/output capped at its first 512 KiB and last 64 KiB \(10\d{7} bytes dropped\)/);
    expect(outcome.policy.stdout).toContain('the end of 100 MB');
    const stored = ['', '-wal'].map((suffix) => (existsSync(db + suffix) ? statSync(db + suffix).size : 0)).reduce((a, b) => a + b, 0);
    expect(stored).toBeLessThan(16 * 1024 * 1024);
  });

  it('a recursion bomb is a RecursionError with its line, in seconds', async () => {
    const { outcome, code } = await runHostile('recursion-bomb.py');
    expect(code).toBe(2);
    expect(outcome.reason).toMatch(/^RecursionError: maximum recursion depth exceeded.* \(line 8\)/);
    expect(outcome.policy.stderr).toContain('recursion limit 10000000 lowered to 10000');
    expect(outcome.policy.wallMs).toBeLessThan(10_000);
  });

  it('a NaN argument names the function and the parameter', async () => {
    const { outcome, code } = await runHostile('nan-argument.py');
    expect(code).toBe(2);
    expect(outcome.reason).toMatch(/^ApiArgumentError: move_to_pose\(\): position_m holds NaN or infinity .* \(line 2\)/);
  });

  it('the next run after them works', async () => {
    const c = capture();
    expect(await main(['run', '--task', 'cube-lift', '--agent', 'expert', '--db', db, '--quiet'], c.io)).toBe(0);
    expect(leftovers()).toEqual([]);
  });
});
