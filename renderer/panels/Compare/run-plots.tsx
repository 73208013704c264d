/**
 * The per-run plots slot of the comparison: one component, given a run id, drawn under each run.
 * Until the Plots panel exists this says so; the Plots panel plugs in by exporting its stored-run
 * plot component as `RunPlots` here (`export { RunPlots } from '../Plots/…'`), with these props.
 */
import type { ComponentType } from 'react';

/** What the slot gives the plots of one run. */
export interface RunPlotsProps {
  readonly runId: number;
  /** Whether the comparison is visible (draw only then). */
  readonly active: boolean;
}

function NoPlotsYet({ runId }: RunPlotsProps): React.JSX.Element {
  return (
    <p className="muted run-plots-slot" data-testid="run-plots" data-run-id={runId}>
      Plots of run {runId} appear here once the Plots panel is installed.
    </p>
  );
}

/** The plots of one stored run. */
export const RunPlots: ComponentType<RunPlotsProps> = NoPlotsYet;
