/**
 * Built-in layouts, as data: which panels sit side by side, which share a group as tabs, and how
 * wide or tall a group starts. The dock builds a preset group by group (`dock.ts`); the operator
 * rearranges it freely and saves the result under a name of their own (`storage.ts`).
 */

/** Where a group goes: beside the group holding `of`. */
export interface PresetPlacement {
  readonly of: string;
  readonly direction: 'right' | 'left' | 'above' | 'below';
}

/** One group: its panels as tabs (the first one shown), where it goes, its starting size. */
export interface PresetGroup {
  readonly panels: readonly string[];
  /** Absent for the first group. */
  readonly at?: PresetPlacement;
  readonly widthPx?: number;
  readonly heightPx?: number;
}

/** A named arrangement of panels. */
export interface LayoutPreset {
  readonly name: string;
  readonly description: string;
  readonly groups: readonly PresetGroup[];
}

/**
 * The operator at the bench during a run: the task to start it, the twin and a camera side by
 * side, the program with its executing line and the live plots under the twin, and the policy's
 * terminal under the camera. STOP is in the top bar, outside every layout.
 */
export const OPERATOR_LAYOUT: LayoutPreset = {
  name: 'Operator',
  description: 'task, twin, camera, code, plots and terminal side by side',
  groups: [
    { panels: ['task'], widthPx: 330 },
    { panels: ['twin'], at: { of: 'task', direction: 'right' } },
    { panels: ['cameras'], at: { of: 'twin', direction: 'right' }, widthPx: 380 },
    { panels: ['code'], at: { of: 'twin', direction: 'below' }, heightPx: 300 },
    { panels: ['plots'], at: { of: 'code', direction: 'right' } },
    { panels: ['terminal'], at: { of: 'cameras', direction: 'below' } },
  ],
};

/** After the runs: the history, a comparison of two runs (or one run's plots), the bench. */
export const REVIEW_LAYOUT: LayoutPreset = {
  name: 'Review',
  description: 'runs and bench beside a comparison of two runs and the plots',
  groups: [
    { panels: ['runs', 'bench'], widthPx: 560 },
    { panels: ['compare', 'plots'], at: { of: 'runs', direction: 'right' } },
  ],
};

/** Setting up the lab: models, devices, cameras and the twin. */
export const SETUP_LAYOUT: LayoutPreset = {
  name: 'Setup',
  description: 'models and devices beside cameras and the twin',
  groups: [
    { panels: ['models', 'devices'], widthPx: 620 },
    { panels: ['cameras', 'twin'], at: { of: 'models', direction: 'right' } },
  ],
};

/** Every built-in layout; the first is the default. */
export const BUILT_IN_LAYOUTS: readonly LayoutPreset[] = [OPERATOR_LAYOUT, REVIEW_LAYOUT, SETUP_LAYOUT];

/** The built-in layout of that name, if any. */
export function builtInLayout(name: string): LayoutPreset | undefined {
  return BUILT_IN_LAYOUTS.find((preset) => preset.name === name);
}

/** Every panel a preset shows, in the order it places them. */
export function presetPanels(preset: LayoutPreset): string[] {
  return preset.groups.flatMap((group) => group.panels);
}
