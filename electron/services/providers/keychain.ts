/**
 * API keys from the OS keychain: `secret-tool` (libsecret) on Linux, `security` on macOS. Store a
 * key with `secret-tool store --label 'caplab openai' service caplab provider openai` or
 * `security add-generic-password -s caplab -a openai -w`. When the tool is absent, or holds no
 * key, the lookup quietly gives nothing.
 */
import { spawnSync } from 'node:child_process';

/** The command that prints the key of `provider` on `platform`, or undefined where none is known. */
export function keychainCommand(provider: string, platform: NodeJS.Platform): { command: string; args: string[] } | undefined {
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    return { command: 'secret-tool', args: ['lookup', 'service', 'caplab', 'provider', provider] };
  }
  if (platform === 'darwin') {
    return { command: 'security', args: ['find-generic-password', '-s', 'caplab', '-a', provider, '-w'] };
  }
  return undefined;
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
