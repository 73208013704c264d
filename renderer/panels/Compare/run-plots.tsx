/**
 * The per-run plots slot of the comparison: one component, given a run id, drawn under each run —
 * the Plots panel's stored-run plots (`../Plots/RunPlots.tsx`).
 */

/** What the slot gives the plots of one run. */
export interface RunPlotsProps {
  readonly runId: number;
  /** Whether the comparison is visible (draw only then). */
  readonly active: boolean;
}

export { RunPlots } from '../Plots/RunPlots.tsx';
