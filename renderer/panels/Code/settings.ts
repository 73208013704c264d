/** The Code panel's settings reducer. */
import type { CodeSettings, CodeSettingsAction } from './types.ts';

/** Defaults. */
export const INITIAL_CODE_SETTINGS: CodeSettings = { followExecution: true, fontSizePx: 14 };

const MIN_FONT_PX = 10;
const MAX_FONT_PX = 24;

/** Apply one edit (font size stays within 10–24 px). */
export function codeSettingsReducer(settings: CodeSettings, action: CodeSettingsAction): CodeSettings {
  switch (action.type) {
    case 'toggle-follow':
      return { ...settings, followExecution: !settings.followExecution };
    case 'font':
      return { ...settings, fontSizePx: Math.min(MAX_FONT_PX, Math.max(MIN_FONT_PX, settings.fontSizePx + action.deltaPx)) };
  }
}
