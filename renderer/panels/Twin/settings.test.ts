import { describe, expect, it } from 'vitest';
import { INITIAL_TWIN_SETTINGS, twinSettingsReducer } from './settings.ts';

describe('twin settings', () => {
  it('toggles one layer and leaves the others', () => {
    const next = twinSettingsReducer(INITIAL_TWIN_SETTINGS, { type: 'toggle', layer: 'frusta' });
    expect(next).toEqual({ frusta: false, workspace: true, ghost: true });
    expect(twinSettingsReducer(next, { type: 'toggle', layer: 'frusta' })).toEqual(INITIAL_TWIN_SETTINGS);
  });
});
