import { describe, expect, it } from 'vitest';
import { codeSettingsReducer, INITIAL_CODE_SETTINGS } from './settings.ts';

describe('code settings', () => {
  it('toggles following the executing line', () => {
    expect(codeSettingsReducer(INITIAL_CODE_SETTINGS, { type: 'toggle-follow' }).followExecution).toBe(false);
  });
  it('keeps the font size within bounds', () => {
    expect(codeSettingsReducer(INITIAL_CODE_SETTINGS, { type: 'font', deltaPx: 2 }).fontSizePx).toBe(16);
    expect(codeSettingsReducer(INITIAL_CODE_SETTINGS, { type: 'font', deltaPx: 100 }).fontSizePx).toBe(24);
    expect(codeSettingsReducer(INITIAL_CODE_SETTINGS, { type: 'font', deltaPx: -100 }).fontSizePx).toBe(10);
  });
});
