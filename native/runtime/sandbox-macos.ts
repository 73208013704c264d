/**
 * The macOS sandbox profile of a policy process (`sandbox-exec -p PROFILE`), in the spirit of the
 * Linux bubblewrap sandbox: network denied but for the run's Unix socket, reads only of the system
 * and the interpreter's folders and the caplab package, writes only to the scratch folder and the
 * temp folder, no signals to other processes. Written from Apple's SBPL as Chromium and Bazel use
 * it; it is generated and checked here but untested on a Mac (see README "Sandbox").
 */
import type { SandboxLayout } from './sandbox.ts';

/** A string as an SBPL literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The folders macOS's own libraries and frameworks live in (read-only). */
const SYSTEM_READ = ['/usr/lib', '/usr/share', '/System', '/Library/Frameworks', '/Library/Developer/CommandLineTools', '/private/var/db/dyld', '/dev'];

/** The SBPL profile for one policy process. */
export function sandboxExecProfile(layout: SandboxLayout): string {
  const reads = [...SYSTEM_READ, ...layout.interpreter.roots, layout.packageDir, layout.runDir];
  return [
    '(version 1)',
    '(deny default)',
    '(deny network*)',
    '(allow process-fork)',
    `(allow process-exec (literal ${quote(layout.interpreter.executable)}))`,
    '(allow signal (target self))',
    '(allow sysctl-read)',
    '(allow mach-lookup (global-name "com.apple.system.opendirectoryd.libinfo"))',
    '(allow file-read-metadata)',
    `(allow file-read* ${reads.map((dir) => `(subpath ${quote(dir)})`).join(' ')})`,
    `(allow file-read* file-write* (subpath ${quote(layout.scratchDir)}) (subpath "/private/tmp") (subpath "/private/var/folders"))`,
    '(allow file-write-data (literal "/dev/null") (regex #"^/dev/ttys[0-9]+$"))',
    `(allow network-outbound (remote unix-socket (path-literal ${quote(`${layout.runDir}/host.sock`)})))`,
    '',
  ].join('\n');
}
