/**
 * Agents side by side: `caplab bench --agent expert,baseline,…` (one matrix per agent, then the
 * table) and `caplab bench --compare ID,ID` over stored matrices. The table is always computed
 * from the trials committed in the store, so it says what the store holds.
 */
import { writeFileSync } from 'node:fs';
import { compareResults, renderComparisonMarkdown, type AgentTierResults, type BenchComparison, type BenchTaskResult } from '../../shared/bench.ts';
import { summarise } from '../services/trials/bench.ts';
import type { RunStore } from '../services/storage/run-store.ts';
import type { MatrixSummary } from '../services/storage/bench-store.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';

/** What `--json` gets for a comparison: the table's rows and which matrices it was read from. */
export interface BenchComparisonJson extends BenchComparison {
  readonly matrices: readonly { readonly id: number; readonly agent: string; readonly trials: number }[];
}

/** The agent a matrix ran (the CLI's `--agent` or `--program`, or the console's request). */
export function matrixAgent(matrix: MatrixSummary): string {
  const request = matrix.request as { agent?: string; options?: { agent?: string }; program?: { programName: string } | null };
  if (matrix.origin === 'console') return request.agent ?? 'expert';
  if (request.program) return `program ${request.program.programName}`;
  return request.options?.agent ?? 'expert';
}

/** A stored matrix's committed trials summarised per agent and tier (the expert baseline phase as the expert). */
export function storedResults(store: RunStore, matrixId: number): { agent: string; trials: number; results: AgentTierResults[] } {
  const matrix = store.matrices.get(matrixId);
  if (!matrix) throw new UsageError(`there is no bench matrix ${matrixId} in ${store.path} (caplab runs matrices lists them)`);
  const agent = matrixAgent(matrix);
  const trials = store.matrices.trials(matrixId);
  const groups = new Map<string, { agent: string; tier: string; outcomes: (typeof trials)[number]['outcome'][] }>();
  for (const trial of trials) {
    const name = trial.phase === 'baseline' ? 'expert' : agent;
    const key = `${trial.tier} ${name}`;
    const group = groups.get(key) ?? { agent: name, tier: trial.tier, outcomes: [] };
    group.outcomes.push(trial.outcome);
    groups.set(key, group);
  }
  const results = [...groups.values()].map((g) => ({
    agent: g.agent,
    tier: g.tier,
    tasks: summarise([...new Set(g.outcomes.map((o) => o.taskId))].sort(), g.outcomes),
  }));
  return { agent, trials: trials.length, results };
}

/** The comparison of stored matrices (later ids win when two ran the same agent and tier). */
export function compareMatrices(store: RunStore, ids: readonly number[]): BenchComparisonJson {
  const read = [...ids].sort((a, b) => b - a).map((id) => ({ id, ...storedResults(store, id) }));
  const comparison = compareResults(read.flatMap((m) => m.results));
  return { ...comparison, matrices: read.map(({ id, agent, trials }) => ({ id, agent, trials })).sort((a, b) => a.id - b.id) };
}

/** `--compare 3,4`: the matrix ids. */
export function parseMatrixIds(value: string): number[] {
  const ids = value.split(',').map((text) => text.trim()).filter(Boolean).map((text) => parseWholeNumber('compare', text, 0, 1, Number.MAX_SAFE_INTEGER));
  if (ids.length === 0) throw new UsageError('--compare needs matrix ids separated by commas (caplab runs matrices lists them)');
  return ids;
}

/** The comparison as a terminal table: per task and tier, each agent's ok/trials, rate and progress, then the gap. */
export function renderComparisonTable(comparison: BenchComparison): string {
  const { agents } = comparison;
  const header = ['task', 'tier', ...agents.flatMap((a) => [`${a} ok`, `${a} rate`, `${a} progress`]), 'gap', 'progress gap'];
  const signed = (value: number | null): string => (value === null ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`);
  const cells = (r: BenchTaskResult | undefined): string[] =>
    r ? [`${r.successes}/${r.trials}`, r.rate.toFixed(2), r.meanProgress === undefined ? '—' : r.meanProgress.toFixed(2)] : ['—', '—', '—'];
  const rows = comparison.rows.map((row) => [row.task, row.tier, ...agents.flatMap((a) => cells(row.agents[a])), signed(row.gap), signed(row.progressGap)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cs: string[]): string => cs.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return `\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n` +
    'gap: the expert rate minus the naive baseline rate on the same tasks and tiers (progress gap: the same for mean progress)\n';
}

/** Print the comparison of these matrices, and write it with `--json FILE` (and the Markdown beside it). */
export function reportComparison(store: RunStore, ids: readonly number[], io: CliIo, jsonPath?: string): BenchComparisonJson {
  const comparison = compareMatrices(store, ids);
  io.out.write(renderComparisonTable(comparison));
  io.out.write(`matrices ${comparison.matrices.map((m) => `${m.id} (${m.agent}, ${m.trials} trials)`).join(', ')} in ${store.path}\n`);
  if (jsonPath) {
    writeFileSync(jsonPath, `${JSON.stringify(comparison, null, 2)}\n`);
    const markdownPath = jsonPath.replace(/\.json$/i, '') + '.md';
    writeFileSync(markdownPath, renderComparisonMarkdown(comparison));
    io.out.write(`wrote ${jsonPath} and ${markdownPath}\n`);
  }
  return comparison;
}
