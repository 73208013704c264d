import { describe, expect, it } from 'vitest';
import { INITIAL_TERMINAL_SETTINGS, runBanner, terminalSettingsReducer } from './settings.ts';

describe('terminal settings', () => {
  it('clamps the font and toggles clearing', () => {
    expect(terminalSettingsReducer(INITIAL_TERMINAL_SETTINGS, { type: 'font', deltaPx: 50 }).fontSizePx).toBe(22);
    expect(terminalSettingsReducer(INITIAL_TERMINAL_SETTINGS, { type: 'toggle-clear' }).clearOnRun).toBe(true);
  });
  it('writes a banner on its own line', () => {
    expect(runBanner(3, 'cube-lift')).toMatch(/^\r\n.*run 3 · cube-lift.*\r\n$/);
  });
});
