/** The Terminal panel's settings. */
export interface TerminalSettings {
  readonly fontSizePx: number;
  /** Clear the screen when a new run starts (otherwise a separator line is written). */
  readonly clearOnRun: boolean;
}

/** Settings edits. */
export type TerminalSettingsAction = { readonly type: 'font'; readonly deltaPx: number } | { readonly type: 'toggle-clear' };
