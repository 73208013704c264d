import { describe, expect, it } from 'vitest';
import { KeychainError, keychainStatus, keychainWriteCommands, storeKeychainKey } from './keychain.ts';

const KEY = 'sk-keychain-test-0123456789';

describe('the OS keychain', () => {
  it('never puts a key on a command line: it goes to the tool on standard input', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const { store } = keychainWriteCommands('openai', KEY, platform)!;
      expect(store.args.join(' ')).not.toContain(KEY);
      expect(store.input).toContain(KEY);
    }
    expect(keychainWriteCommands('openai', KEY, 'win32')).toBeUndefined();
  });

  it('says when there is no keychain: the tool is missing, turned off, or unknown on the platform', () => {
    expect(keychainStatus({ PATH: '/nonexistent' }, 'linux')).toMatchObject({ available: false, tool: null, note: expect.stringMatching(/secret-tool is not installed.*this session only/) });
    expect(keychainStatus({ CAPLAB_NO_KEYCHAIN: '1' }, 'linux').note).toMatch(/turned off/);
    expect(keychainStatus({}, 'win32').note).toMatch(/no keychain tool is known on win32/);
  });

  it('refuses keys that could not travel safely, and says so without the key', () => {
    const failure = (() => {
      try {
        storeKeychainKey('openai', 'sk-secret"0123', { PATH: '/nonexistent' }, 'linux');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(failure).toBeInstanceOf(KeychainError);
    expect(String((failure as Error).message)).not.toContain('sk-secret');
    expect(() => storeKeychainKey('openai', KEY, { PATH: '/nonexistent' }, 'linux')).toThrow(/secret-tool could not store the openai key: ENOENT/);
  });
});
