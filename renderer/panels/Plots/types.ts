/** What the Plots panel shows: the live run, or a stored run by id. */
export type PlotSource = number | typeof LIVE_SOURCE;

/** The live source (the run in progress, or the console's last run). */
export const LIVE_SOURCE = 'live' as const;
