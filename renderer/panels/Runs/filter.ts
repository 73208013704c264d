/** The Runs filter reducer, the list request it makes, and replay helpers. */
import { describeVlaChunk, type PolicyEvent } from '../../../shared/run.ts';
import { RUN_STATUSES, type RunsFilter, type RunsFilterAction } from './types.ts';

/** No filter. */
export const EMPTY_FILTER: RunsFilter = { search: '', status: '', task: '' };

/** Apply one edit; unknown statuses are ignored. */
export function runsFilterReducer(filter: RunsFilter, action: RunsFilterAction): RunsFilter {
  switch (action.type) {
    case 'search':
      return { ...filter, search: action.value };
    case 'status':
      return action.value === '' || (RUN_STATUSES as readonly string[]).includes(action.value) ? { ...filter, status: action.value as RunsFilter['status'] } : filter;
    case 'task':
      return { ...filter, task: action.value };
    case 'clear':
      return EMPTY_FILTER;
  }
}

/** The `runs.list` request for a filter (blank fields left out). */
export function listRequest(filter: RunsFilter, limit = 100): { search?: string; status?: Exclude<RunsFilter['status'], ''>; task?: string; limit: number } {
  const search = filter.search.trim();
  return { ...(search ? { search } : {}), ...(filter.status ? { status: filter.status } : {}), ...(filter.task ? { task: filter.task } : {}), limit };
}

/** The line executing at `tMs` into a run (the last line event at or before it), or null. */
export function lineAtTime(events: readonly PolicyEvent[], tMs: number): number | null {
  let low = 0;
  let high = events.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (events[mid]!.tMs <= tMs) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  for (let i = found; i >= 0; i -= 1) {
    const event = events[i]!;
    if (event.kind === 'line') return event.line;
  }
  return null;
}

/** One line per event for the trace list. */
export function describeEvent(event: PolicyEvent): string {
  const at = `${(event.tMs / 1000).toFixed(3)} s`;
  switch (event.kind) {
    case 'line':
      return `${at}  line ${event.line}`;
    case 'lines-dropped':
      return `${at}  (${event.count} line events dropped)`;
    case 'stdout':
    case 'stderr':
      return `${at}  ${event.kind}: ${event.text.trimEnd()}`;
    case 'api-call':
      return `${at}  ${event.fn}(…) ${event.ok ? 'ok' : `failed: ${event.error?.message ?? ''}`} in ${event.durationMs.toFixed(0)} ms`;
    case 'exception':
      return `${at}  ${event.exception.type}: ${event.exception.message}${event.exception.line ? ` (line ${event.exception.line})` : ''}`;
    case 'safety':
      return `${at}  safety: ${event.reason}`;
    case 'vla-chunk':
      return `${at}  ${describeVlaChunk(event)}`;
  }
}
