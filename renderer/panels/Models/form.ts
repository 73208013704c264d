/** The Models panel's pure parts: how a provider's key reads for the operator, and a typed base URL checked. */
import type { z } from 'zod';
import type { ProviderEntry } from '../../../shared/ipc/contract.ts';

/** Where a provider's key is, in words. */
export function keyState(provider: Pick<z.output<typeof ProviderEntry>, 'keySource' | 'needsKey' | 'local'>): string {
  switch (provider.keySource) {
    case 'session':
      return 'key kept for this session (in memory)';
    case 'environment':
      return 'key from the environment';
    case 'keychain':
      return 'key in the OS keychain';
    case 'none':
      return provider.local ? 'no key needed' : provider.needsKey ? 'no key yet' : 'no key';
  }
}

/** A base URL the operator typed, or what to fix. */
export function checkBaseUrl(text: string): { ok: true; baseUrl: string } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (!/^https?:\/\/[^\s/]+/.test(trimmed)) return { ok: false, error: `A base URL starts with http:// or https://, not "${trimmed}".` };
  return { ok: true, baseUrl: trimmed.replace(/\/+$/, '') };
}
