/**
 * API keys in the OS keychain: `secret-tool` (libsecret) on Linux, `security` on macOS. Store a
 * key with `secret-tool store --label 'caplab openai' service caplab provider openai` or
 * `security add-generic-password -s caplab -a openai -w`, or from the console's Models panel.
 * When the tool is absent, or holds no key, the lookup quietly gives nothing. A key never appears
 * on a command line (it goes to the tool's standard input) nor in an error message.
 */
import { spawnSync } from 'node:child_process';

/** A keychain command line. */
interface KeychainCommand {
  readonly command: string;
  readonly args: string[];
  /** What goes to the tool's standard input (the key, never an argument). */
  readonly input?: string;
}

/** Whether this machine has a keychain tool Caplab can use. */
export interface KeychainStatus {
  readonly available: boolean;
  /** `secret-tool`, `security`, or null. */
  readonly tool: string | null;
  /** What the operator should know (where keys go, or why they stay in memory). */
  readonly note: string;
}

/** A keychain tool that failed (missing, locked, no secret service); the message holds no key. */
export class KeychainError extends Error {
  override readonly name = 'KeychainError';
}

const LINUX = new Set<NodeJS.Platform>(['linux', 'freebsd', 'openbsd']);

function toolFor(platform: NodeJS.Platform): string | null {
  return LINUX.has(platform) ? 'secret-tool' : platform === 'darwin' ? 'security' : null;
}

/** The command that prints the key of `provider` on `platform`, or undefined where none is known. */
export function keychainCommand(provider: string, platform: NodeJS.Platform): { command: string; args: string[] } | undefined {
  if (LINUX.has(platform)) return { command: 'secret-tool', args: ['lookup', 'service', 'caplab', 'provider', provider] };
  if (platform === 'darwin') return { command: 'security', args: ['find-generic-password', '-s', 'caplab', '-a', provider, '-w'] };
  return undefined;
}

/** The commands that store and delete the key of `provider`. */
export function keychainWriteCommands(provider: string, key: string, platform: NodeJS.Platform): { store: KeychainCommand; clear: KeychainCommand } | undefined {
  if (LINUX.has(platform)) {
    return {
      store: { command: 'secret-tool', args: ['store', '--label', `caplab ${provider}`, 'service', 'caplab', 'provider', provider], input: key },
      clear: { command: 'secret-tool', args: ['clear', 'service', 'caplab', 'provider', provider] },
    };
  }
  if (platform === 'darwin') {
    // `security -i` reads its command from standard input, which keeps the key out of `ps`.
    return {
      store: { command: 'security', args: ['-i'], input: `add-generic-password -U -s caplab -a "${provider}" -w "${key}"\n` },
      clear: { command: 'security', args: ['delete-generic-password', '-s', 'caplab', '-a', provider] },
    };
  }
  return undefined;
}

/** Whether the keychain tool is here (`CAPLAB_NO_KEYCHAIN=1` turns it off). */
export function keychainStatus(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): KeychainStatus {
  const tool = toolFor(platform);
  const absent = (why: string): KeychainStatus => ({ available: false, tool: null, note: `${why}: keys entered here are kept for this session only, in memory` });
  if (env['CAPLAB_NO_KEYCHAIN'] === '1') return absent('the keychain is turned off (CAPLAB_NO_KEYCHAIN=1)');
  if (!tool) return absent(`no keychain tool is known on ${platform}`);
  // A lookup of nothing: fails fast when the tool is missing, and a secret service that does not
  // answer shows here once instead of stalling every later lookup.
  const probeArgs = LINUX.has(platform) ? ['lookup', 'service', 'caplab', 'probe', 'availability'] : ['help'];
  const probe = spawnSync(tool, probeArgs, { env, stdio: 'ignore', timeout: 3000 });
  const code = (probe.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return absent(`${tool} is not installed${tool === 'secret-tool' ? ' (apt install libsecret-tools)' : ''}`);
  if (code === 'ETIMEDOUT' || probe.signal) return absent(`${tool} did not answer (no secret service running?)`);
  return { available: true, tool, note: `keys are stored in the OS keychain with ${tool} (service caplab)` };
}

function run(step: KeychainCommand, env: NodeJS.ProcessEnv, what: string): void {
  const result = spawnSync(step.command, step.args, { env, input: step.input ?? '', encoding: 'utf8', timeout: 10_000, stdio: ['pipe', 'ignore', 'pipe'] });
  if (result.error) throw new KeychainError(`${step.command} could not ${what}: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message}`);
  // The tool's own complaint (a locked keychain, no secret service) never echoes the key.
  if (result.status !== 0) throw new KeychainError(`${step.command} could not ${what} (exit ${result.status}): ${result.stderr.trim().slice(0, 200)}`);
}

const KEY_SHAPE = /^[\x21-\x7e]+$/;

/** Store the key of `provider` in the keychain; throws `KeychainError` when it cannot. */
export function storeKeychainKey(provider: string, key: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): void {
  if (!KEY_SHAPE.test(key) || key.includes('"') || key.includes('\\')) throw new KeychainError('a key is printable characters without spaces or quotes');
  const commands = keychainWriteCommands(provider, key, platform);
  if (!commands) throw new KeychainError(`no keychain tool is known on ${platform}`);
  run(commands.store, env, `store the ${provider} key`);
}

/** Delete the key of `provider` from the keychain (nothing stored is not an error). */
export function clearKeychainKey(provider: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): void {
  const commands = keychainWriteCommands(provider, '', platform);
  if (!commands) return;
  const result = spawnSync(commands.clear.command, commands.clear.args, { env, stdio: 'ignore', timeout: 10_000 });
  if (result.error) throw new KeychainError(`${commands.clear.command} could not delete the ${provider} key: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message}`);
}

/** The stored key of `provider`, or undefined (tool missing, nothing stored, or `CAPLAB_NO_KEYCHAIN=1`). */
export function lookupKeychainKey(
  provider: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (env['CAPLAB_NO_KEYCHAIN'] === '1') return undefined;
  const lookup = keychainCommand(provider, platform);
  if (!lookup) return undefined;
  const result = spawnSync(lookup.command, lookup.args, { env, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.error || result.status !== 0) return undefined;
  const key = result.stdout.trim();
  return key.length > 0 ? key : undefined;
}
