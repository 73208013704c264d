/** The Code panel's view settings. */
export interface CodeSettings {
  /** Scroll the executing line into view as it moves. */
  readonly followExecution: boolean;
  readonly fontSizePx: number;
}

/** Settings edits. */
export type CodeSettingsAction = { readonly type: 'toggle-follow' } | { readonly type: 'font'; readonly deltaPx: number };
