/** The Twin panel's settings reducer. */
import type { TwinSettings, TwinSettingsAction } from './types.ts';

/** Everything shown. */
export const INITIAL_TWIN_SETTINGS: TwinSettings = { frusta: true, workspace: true, ghost: true };

/** Apply one edit. */
export function twinSettingsReducer(settings: TwinSettings, action: TwinSettingsAction): TwinSettings {
  switch (action.type) {
    case 'toggle':
      return { ...settings, [action.layer]: !settings[action.layer] };
  }
}
