/**
 * Two runs side by side, as data: the program diff line by line (jsdiff), and the outcomes and
 * counts of what each run did, with the rows that differ marked.
 */
import { diffLines } from 'diff';
import type { z } from 'zod';
import type { RunDetail } from '../../../shared/ipc/contract.ts';

/** A run with its program and events. */
export type ComparedRun = z.output<typeof RunDetail>;

/** One line of the diff: in both programs, only the left (removed) or only the right (added). */
export interface DiffRow {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
  /** Line numbers, 1-based, in the left and right programs. */
  readonly left: number | null;
  readonly right: number | null;
}

/** The diff of two programs and how many lines each side has of its own. */
export interface ProgramDiff {
  readonly rows: readonly DiffRow[];
  readonly added: number;
  readonly removed: number;
}

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The line diff of `left` into `right`. */
export function programDiff(left: string, right: string): ProgramDiff {
  const rows: DiffRow[] = [];
  let leftLine = 0;
  let rightLine = 0;
  for (const change of diffLines(left, right)) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    for (const text of linesOf(change.value)) {
      if (kind !== 'added') leftLine += 1;
      if (kind !== 'removed') rightLine += 1;
      rows.push({ kind, text, left: kind === 'added' ? null : leftLine, right: kind === 'removed' ? null : rightLine });
    }
  }
  return { rows, added: rows.filter((r) => r.kind === 'added').length, removed: rows.filter((r) => r.kind === 'removed').length };
}

/** One row of the outcome table. */
export interface OutcomeRow {
  readonly field: string;
  readonly label: string;
  readonly left: string;
  readonly right: string;
  readonly differs: boolean;
}

function counts(run: ComparedRun): Record<string, number> {
  const count = (test: (e: ComparedRun['events'][number]) => boolean): number => run.events.filter(test).length;
  return {
    lines: count((e) => e.kind === 'line'),
    calls: count((e) => e.kind === 'api-call'),
    failedCalls: count((e) => e.kind === 'api-call' && !e.ok),
    exceptions: count((e) => e.kind === 'exception'),
    safety: count((e) => e.kind === 'safety'),
    output: count((e) => e.kind === 'stdout' || e.kind === 'stderr'),
  };
}

const FIELDS: ReadonlyArray<readonly [string, string, (run: ComparedRun, c: Record<string, number>) => string]> = [
  ['status', 'outcome', (run) => run.status],
  ['reason', 'reason', (run) => run.reason ?? ''],
  ['task', 'task', (run) => run.task],
  ['tier', 'tier', (run) => run.tier],
  ['seed', 'seed', (run) => String(run.seed)],
  ['agent', 'agent', (run) => run.agent],
  ['robot', 'robot', (run) => run.robot],
  ['wallSeconds', 'wall time, s', (run) => (run.wallSeconds === null ? '' : run.wallSeconds.toFixed(2))],
  ['lines', 'lines executed', (_run, c) => String(c['lines'])],
  ['calls', 'robot API calls', (_run, c) => String(c['calls'])],
  ['failedCalls', 'failed calls', (_run, c) => String(c['failedCalls'])],
  ['exceptions', 'exceptions', (_run, c) => String(c['exceptions'])],
  ['safety', 'safety events', (_run, c) => String(c['safety'])],
  ['output', 'output chunks', (_run, c) => String(c['output'])],
];

/** The outcome table of two runs. */
export function outcomeRows(left: ComparedRun, right: ComparedRun): OutcomeRow[] {
  const leftCounts = counts(left);
  const rightCounts = counts(right);
  return FIELDS.map(([field, label, value]) => {
    const a = value(left, leftCounts);
    const b = value(right, rightCounts);
    return { field, label, left: a, right: b, differs: a !== b };
  });
}
