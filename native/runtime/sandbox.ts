/**
 * The sandbox of every policy process. On Linux, bubblewrap (`bwrap`): its own network namespace
 * (no network at all; the RPC is a Unix socket in the run's folder), its own PID namespace with a
 * fresh /proc (the host's processes are neither visible nor reachable), a read-only view of only
 * what Python and the caplab package need (no home directory, no /root, no /etc), a private /tmp
 * and one writable scratch folder, a new session (no terminal to inject keys into),
 * `--die-with-parent`, and a process-count limit (RLIMIT_NPROC, set by the runner). On macOS,
 * `sandbox-exec` with a profile in the same spirit (`sandbox-macos.ts`, untested on a Mac).
 * Where neither is available the kind is `none`, and every surface says so.
 *
 * The kind is decided once per process (bwrap is tried once: user namespaces can be disabled).
 * `CAPLAB_SANDBOX=off` turns it off (for measuring its cost, and for machines where it fails).
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { accessSync, constants, existsSync, lstatSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { PythonInterpreter } from './python-interpreter.ts';
import { sandboxExecProfile } from './sandbox-macos.ts';

/** Which sandbox a policy process runs in. */
export type SandboxKind = 'bwrap' | 'sandbox-exec' | 'none';

/** What the sandbox of this machine is and what it enforces. */
export interface SandboxInfo {
  readonly kind: SandboxKind;
  /** One line: the tool and version, or why there is none. */
  readonly detail: string;
  /** What is enforced, by area (network, filesystem, pid, nproc, env). */
  readonly enforces: Readonly<Record<'network' | 'filesystem' | 'pid' | 'nproc' | 'env', string>>;
}

/** How many processes (threads included) one policy process may have. */
export const POLICY_MAX_PROCESSES = 64;

/**
 * The uid a root host drops a sandboxed runner to, so that RLIMIT_NPROC binds (root is exempt):
 * one of its own per run, unused by anyone, because the kernel counts a uid's processes across
 * the whole machine (a shared uid would make concurrent runs share the 64).
 */
export function sandboxUid(): number {
  return randomInt(SANDBOX_UID_FIRST, SANDBOX_UID_FIRST + 1_000_000);
}

/** Where the per-run uids start (above any a distribution gives its users and services). */
const SANDBOX_UID_FIRST = 2_000_000;

let detected: { readonly setting: string | undefined; readonly info: SandboxInfo } | null = null;

/** The sandbox of this machine (decided once per process, again when `CAPLAB_SANDBOX` changes). */
export function detectSandbox(): SandboxInfo {
  const setting = process.env['CAPLAB_SANDBOX'];
  if (detected === null || detected.setting !== setting) detected = { setting, info: decide() };
  return detected.info;
}

function none(detail: string): SandboxInfo {
  return {
    kind: 'none',
    detail,
    enforces: {
      network: 'not restricted',
      filesystem: 'not restricted (only the working folder is a private one)',
      pid: 'not isolated; the run\'s process group is killed when it ends',
      nproc: 'not limited (RLIMIT_NPROC would count every process of the user)',
      env: 'allow-list (no API keys or tokens)',
    },
  };
}

function decide(): SandboxInfo {
  if (process.env['CAPLAB_SANDBOX'] === 'off') return none('turned off (CAPLAB_SANDBOX=off)');
  if (process.platform === 'darwin') {
    return existsSync('/usr/bin/sandbox-exec')
      ? {
          kind: 'sandbox-exec',
          detail: '/usr/bin/sandbox-exec (profile untested on a Mac)',
          enforces: {
            network: 'denied except the run\'s Unix socket',
            filesystem: 'reads of system and interpreter folders only; writes to the scratch folder only',
            pid: 'not isolated (signals to other processes denied); process group killed at the end',
            nproc: 'not limited (RLIMIT_NPROC would count every process of the user)',
            env: 'allow-list (no API keys or tokens)',
          },
        }
      : none('no sandbox-exec on this Mac');
  }
  if (process.platform !== 'linux') return none(`no sandbox on ${process.platform}`);
  const bwrap = findOnPath('bwrap');
  if (!bwrap) return none('bubblewrap (bwrap) is not installed: apt install bubblewrap');
  try {
    execFileSync(bwrap, ['--unshare-net', '--unshare-pid', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', 'true'], { stdio: 'pipe', timeout: 10_000 });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim() || (error as Error).message;
    return none(`${bwrap} cannot create namespaces here: ${stderr.split('\n')[0]}`);
  }
  const version = execFileSync(bwrap, ['--version'], { encoding: 'utf8' }).trim();
  return {
    kind: 'bwrap',
    detail: `${bwrap} (${version})`,
    enforces: {
      network: 'own network namespace: no network, only the run\'s Unix socket',
      filesystem: 'read-only: /usr, the interpreter\'s own folders, the caplab package; nothing else of home, /root or /etc; private /tmp; one writable scratch folder',
      pid: 'own PID namespace and /proc; every process ends with the run (--die-with-parent)',
      nproc: `RLIMIT_NPROC ${POLICY_MAX_PROCESSES}${process.getuid?.() === 0 ? ' (as an unprivileged uid of its own per run: root is exempt from it)' : ''}`,
      env: 'allow-list (no API keys or tokens), HOME in the scratch folder',
    },
  };
}

/** An executable on the PATH (or in /usr/bin), or null. */
export function findOnPath(name: string): string | null {
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/bin']) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Where one policy process lives. */
export interface SandboxLayout {
  readonly interpreter: PythonInterpreter;
  /** The caplab package's parent folder (on `sys.path`). */
  readonly packageDir: string;
  /** The run's private folder (holds the socket; read-only inside). */
  readonly runDir: string;
  /** The writable scratch folder (the working folder and HOME). */
  readonly scratchDir: string;
}

/** The command that starts `pythonArgs` under the sandbox `kind`. */
export function sandboxedCommand(kind: SandboxKind, layout: SandboxLayout, pythonArgs: readonly string[]): { file: string; args: string[] } {
  const python = layout.interpreter.executable;
  if (kind === 'bwrap') return { file: findOnPath('bwrap') ?? 'bwrap', args: [...bwrapArgs(layout), python, ...pythonArgs] };
  if (kind === 'sandbox-exec') return { file: '/usr/bin/sandbox-exec', args: ['-p', sandboxExecProfile(layout), python, ...pythonArgs] };
  return { file: python, args: [...pythonArgs] };
}

/** Top-level system folders: bound read-only, or recreated as the symlinks they are (merged /usr). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** Files of /etc the dynamic loader and Python's time zone need (nothing else of /etc). */
const ETC_FILES = ['/etc/ld.so.cache', '/etc/localtime'];

/** bubblewrap's arguments for one policy process. */
export function bwrapArgs(layout: SandboxLayout): string[] {
  const args = ['--unshare-net', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent', '--new-session'];
  // The fresh /tmp first: an interpreter or a run folder under /tmp is bound on top of it.
  args.push('--proc', '/proc', '--dev', '/dev', '--perms', '1777', '--tmpfs', '/tmp', '--perms', '0755', '--dir', '/etc');
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  const roots = [...layout.interpreter.roots, layout.packageDir].filter((root) => !root.startsWith('/usr/'));
  // bwrap would make the folders above a bound one private (0700), which the runner, once it has
  // given up root, could not pass through.
  for (const dir of new Set(roots.flatMap(ancestors))) args.push('--perms', '0755', '--dir', dir);
  for (const root of roots) args.push('--ro-bind', root, root);
  args.push('--ro-bind', layout.runDir, layout.runDir, '--bind', layout.scratchDir, layout.scratchDir, '--chdir', layout.scratchDir);
  return args;
}

/** The folders above `path`, outermost first, `/` and the system folders left out. */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts
    .slice(0, -1)
    .map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)
    .filter((dir) => !SYSTEM_DIRS.includes(dir) && dir !== '/tmp');
}
