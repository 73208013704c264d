/** `caplab rl eval --model A --model B`: a before/after table of two models on held-out seeds. */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { createProvider } from '../services/providers/registry.ts';
import { evaluateModel, renderEvalTable, type EvalPlan, type ModelEval } from '../services/rl/evaluate.ts';
import { modelSource } from '../services/rl/provenance.ts';
import { RewardPool } from '../services/rl/reward-pool.ts';
import { resolveTaskList } from '../services/trials/catalog.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';
import { ProgressBar } from './progress.ts';
import { parseSeedRange, parseSingleTurnTiers, type RlCommandOptions } from './rl-command.ts';
import { parseTimeoutMs } from './rl-reward-server.ts';

function evalPlan(options: RlCommandOptions): EvalPlan {
  const seeds = parseSeedRange(options.seeds, [1000, 1019]);
  const temperature = Number(options.temperature ?? '0');
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) throw new UsageError(`--temperature ${options.temperature}: expected 0 to 2`);
  return { taskIds: resolveTaskList(options.tasks ?? 'all'), tiers: parseSingleTurnTiers(options.tiers), seedFrom: seeds.from, seedTo: seeds.to, temperature };
}

/** Execute `caplab rl eval`. */
export async function rlEvalCommand(options: RlCommandOptions, io: CliIo): Promise<number> {
  const models = options.model === undefined ? [] : Array.isArray(options.model) ? options.model : [options.model];
  if (models.length !== 2) throw new UsageError('rl eval needs --model twice: the model before and after training (e.g. --model vllm:base --model vllm:grpo-step-200)');
  const plan = evalPlan(options);
  const workers = parseWholeNumber('workers', options.workers, Math.max(1, cpus().length), 1, 64);
  const timeoutMs = parseTimeoutMs(options['timeout-s']);
  const providers = models.map((name) => createProvider(name));
  const pool = new RewardPool({ workers, maxQueue: workers * 2, preset: 'capx', ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const episodes = plan.taskIds.length * plan.tiers.length * (plan.seedTo - plan.seedFrom + 1);
  try {
    const evals: ModelEval[] = [];
    for (const [i, name] of models.entries()) {
      const source = await modelSource(name);
      io.err.write(`${i === 0 ? 'before' : 'after'}: ${name} (${source}) · ${episodes} episodes · seeds ${plan.seedFrom}..${plan.seedTo}\n`);
      const bar = new ProgressBar(io.err);
      const started = performance.now();
      let done = 0;
      let ok = 0;
      const result = await evaluateModel(plan, providers[i]!, pool, (success) => {
        done += 1;
        if (success) ok += 1;
        const elapsed = (performance.now() - started) / 1000;
        bar.update(done, episodes, (elapsed / done) * (episodes - done), `${ok} ok`);
      });
      evals.push({ model: name, source, ...result });
    }
    io.out.write(renderEvalTable(evals[0]!, evals[1]!));
    for (const e of evals) io.out.write(`${e.model}: answers from ${e.source}\n`);
    if (options.out) {
      writeFileSync(options.out, `${JSON.stringify({ format: 'caplab-rl-eval', createdAt: new Date().toISOString(), plan: { ...plan, tiers: plan.tiers.map((t) => t.id) }, before: evals[0], after: evals[1] }, null, 2)}\n`);
      io.out.write(`wrote ${options.out}\n`);
    }
    return 0;
  } finally {
    await pool.dispose();
  }
}
