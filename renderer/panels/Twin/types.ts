/** The Twin panel's settings: which overlays are drawn. */
export interface TwinSettings {
  readonly frusta: boolean;
  readonly workspace: boolean;
  readonly ghost: boolean;
}

/** Settings edits. */
export type TwinSettingsAction = { readonly type: 'toggle'; readonly layer: keyof TwinSettings };
