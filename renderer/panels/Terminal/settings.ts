/** The Terminal panel's settings reducer and the banner written between runs. */
import type { TerminalSettings, TerminalSettingsAction } from './types.ts';

/** Defaults. */
export const INITIAL_TERMINAL_SETTINGS: TerminalSettings = { fontSizePx: 13, clearOnRun: false };

/** Apply one edit (font 9–22 px). */
export function terminalSettingsReducer(settings: TerminalSettings, action: TerminalSettingsAction): TerminalSettings {
  switch (action.type) {
    case 'font':
      return { ...settings, fontSizePx: Math.min(22, Math.max(9, settings.fontSizePx + action.deltaPx)) };
    case 'toggle-clear':
      return { ...settings, clearOnRun: !settings.clearOnRun };
  }
}

/** The line written when a run starts, in dim ANSI so it stands apart from the policy's output. */
export function runBanner(runId: number, taskId: string): string {
  return `\r\n\x1b[2m── run ${runId} · ${taskId} ──\x1b[0m\r\n`;
}
