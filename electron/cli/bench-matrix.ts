/**
 * `caplab bench`'s matrix in the store: recorded before the first trial (with the command line
 * that made it, and the program text of `--program`, so a resume runs the same), every trial
 * committed as it finishes, and `--resume ID` to run only the trials that are missing.
 */
import type { BenchPhase, TierOutcome } from '../services/trials/bench.ts';
import type { RunStore } from '../services/storage/run-store.ts';
import type { MatrixSummary } from '../services/storage/bench-store.ts';
import { UsageError, parseWholeNumber } from './args.ts';
import { isProgramAgent } from '../../shared/agent.ts';

/** What `caplab bench` keeps of its command line: the options that decide the trials. */
export interface StoredBenchRequest<Options> {
  readonly options: Options;
  /** `--program FILE`'s text as it was read at the start. */
  readonly program: { readonly programSource: string; readonly programName: string } | null;
}

/** The console's `bench:start` request, as far as `caplab bench --resume` reads it. */
interface ConsoleRequest {
  readonly taskIds: readonly string[];
  readonly tiers: readonly string[];
  readonly agent: string;
  readonly model?: string;
  readonly baseline?: boolean;
  readonly maxTurns?: number;
  readonly candidates?: number;
  readonly trials: number;
  readonly workers: number;
  readonly seed: number;
}

/** A matrix this process runs: its id and what it finished before. */
export interface OpenMatrix {
  readonly id: number;
  readonly finished: Partial<Record<BenchPhase, readonly TierOutcome[]>>;
  readonly finishedCount: number;
}

/** `--resume ID`: take over the unfinished matrix and read the request it was started with. */
export function resumeMatrix<Options extends object>(store: RunStore, idText: string): { matrix: MatrixSummary; request: StoredBenchRequest<Options> } {
  const id = parseWholeNumber('resume', idText, 0, 1, Number.MAX_SAFE_INTEGER);
  let matrix: MatrixSummary;
  try {
    matrix = store.matrices.claim(id);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (caplab runs matrices lists them)`);
  }
  if (matrix.origin === 'cli') return { matrix, request: matrix.request as StoredBenchRequest<Options> };
  return { matrix, request: { options: cliOptionsOf(matrix.request as ConsoleRequest) as Options, program: null } };
}

/** The console's request as the command line that asks for the same matrix. */
function cliOptionsOf(request: ConsoleRequest): Record<string, string | undefined> {
  return {
    tasks: request.taskIds.join(','),
    tier: request.tiers.join(','),
    agent: request.agent,
    model: request.model,
    baseline: request.baseline === false || isProgramAgent(request.agent) ? 'none' : 'expert',
    turns: request.maxTurns === undefined ? undefined : String(request.maxTurns),
    candidates: request.candidates === undefined ? undefined : String(request.candidates),
    trials: String(request.trials),
    workers: String(request.workers),
    seed: String(request.seed),
  };
}

/** The committed trials of a matrix, per phase. */
export function finishedTrials(store: RunStore, id: number): OpenMatrix {
  const finished: Record<BenchPhase, TierOutcome[]> = { baseline: [], agent: [] };
  const trials = store.matrices.trials(id);
  for (const trial of trials) finished[trial.phase].push({ tier: trial.tier as TierOutcome['tier'], outcome: trial.outcome });
  return { id, finished, finishedCount: trials.length };
}

/** `caplab runs matrices`: every matrix with its trials finished of all. */
export function renderMatrices(matrices: readonly MatrixSummary[], path: string): string {
  if (matrices.length === 0) return `no bench matrices in ${path}\n`;
  return matrices
    .map((m) => {
      const state = m.finishedAt ? 'finished' : m.ownerPid !== null ? `running (process ${m.ownerPid})` : `unfinished: caplab bench --resume ${m.id}`;
      return `${String(m.id).padStart(5)}  ${m.createdAt}  ${m.origin.padEnd(7)} ${describeRequest(m)}  ${m.finished}/${m.total} trials, ${m.successes} ok  ${state}\n`;
    })
    .join('');
}

function describeRequest(matrix: MatrixSummary): string {
  if (matrix.origin === 'console') {
    const r = matrix.request as ConsoleRequest;
    return `${r.agent} · ${r.taskIds.join(',')} · ${r.tiers.join(',')} · seed ${r.seed}`;
  }
  const { options, program } = matrix.request as StoredBenchRequest<Record<string, string | undefined>>;
  return `${program ? `program ${program.programName}` : (options['agent'] ?? 'expert')} · ${options['tasks'] ?? 'all'} · ${options['tier'] ?? 'S1'} · seed ${options['seed'] ?? '0'}`;
}
