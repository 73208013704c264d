/** `caplab rl rollouts`: GRPO groups and SFT data from a policy model, scored on the simulator, kept in the run store. */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { createProvider } from '../services/providers/registry.ts';
import { RewardPool } from '../services/rl/reward-pool.ts';
import { modelSource } from '../services/rl/provenance.ts';
import { writeRolloutFiles } from '../services/rl/rollout-files.ts';
import { runRollouts, type RolloutPlan } from '../services/rl/rollouts.ts';
import { RlStore } from '../services/storage/rl-store.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { resolveTaskList } from '../services/trials/catalog.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';
import { ProgressBar } from './progress.ts';
import { parseSeedRange, parseSingleTurnTiers, type RlCommandOptions } from './rl-command.ts';
import { parsePreset, parseTimeoutMs } from './rl-reward-server.ts';

/** The one `--model` of a command that takes one. */
export function singleModel(value: string | string[] | undefined, command: string): string {
  const models = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (models.length !== 1) throw new UsageError(`${command} needs one --model provider:model (e.g. vllm:Qwen2.5-Coder-7B-Instruct)`);
  return models[0]!;
}

function rolloutPlan(options: RlCommandOptions): RolloutPlan {
  const seeds = parseSeedRange(options.seeds, [0, 0]);
  const temperature = Number(options.temperature ?? '1.0');
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) throw new UsageError(`--temperature ${options.temperature}: expected 0 to 2`);
  return {
    taskIds: resolveTaskList(options.tasks ?? 'all'),
    tiers: parseSingleTurnTiers(options.tiers),
    seedFrom: seeds.from,
    seedTo: seeds.to,
    group: parseWholeNumber('group', options.group, 8, 1, 1024),
    temperature,
  };
}

/** Execute `caplab rl rollouts`. */
export async function rlRolloutsCommand(options: RlCommandOptions, io: CliIo): Promise<number> {
  const modelName = singleModel(options.model, 'rl rollouts');
  if (!options.out) throw new UsageError('rl rollouts needs --out DIR');
  const plan = rolloutPlan(options);
  const preset = parsePreset(options.preset);
  const workers = parseWholeNumber('workers', options.workers, Math.max(1, cpus().length), 1, 64);
  const timeoutMs = parseTimeoutMs(options['timeout-s']);
  const model = createProvider(modelName);
  const source = await modelSource(modelName);
  const prompts = plan.taskIds.length * plan.tiers.length * (plan.seedTo - plan.seedFrom + 1);
  io.err.write(`caplab rl rollouts · ${modelName} (${source}) · ${prompts} prompts × ${plan.group} · preset ${preset} · ${workers} workers\n`);
  const pool = new RewardPool({ workers, maxQueue: workers * 2, preset, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  io.onInterrupt(onInterrupt);
  const bar = new ProgressBar(io.err);
  try {
    const { groups, sft } = await runRollouts(plan, {
      model, pool, preset, signal: controller.signal,
      onProgress: (p) => bar.update(p.done, p.total, p.remainingSeconds, `${p.successes} ok`),
    });
    const manifest = {
      format: 'caplab-rl-rollouts',
      createdAt: new Date().toISOString(),
      model: modelName,
      source,
      preset,
      plan: { tasks: plan.taskIds, tiers: plan.tiers.map((t) => t.id), seeds: { from: plan.seedFrom, to: plan.seedTo }, group: plan.group, temperature: plan.temperature },
      groups: groups.length,
      completions: groups.reduce((sum, g) => sum + g.completions.length, 0),
      sftExamples: sft.length,
      advantage: '(r - mean) / (std + 1e-6) per group, sample std (n - 1), as verl GRPO',
    };
    const store = RunStore.open(options.db);
    try {
      const id = new RlStore(store).save({ createdAt: manifest.createdAt, model: modelName, source, outDir: resolve(options.out), manifest }, groups.map((g) => ({ task: g.task, tier: g.tier, seed: g.seed, group: { ...g } })));
      const files = writeRolloutFiles(options.out, groups, sft, { ...manifest, runStore: { path: store.path, rolloutId: id } });
      for (const g of groups) io.out.write(`${g.task.padEnd(17)} ${g.tier} seed ${g.seed}: rewards ${g.rewards.map((r) => r.toFixed(2)).join(' ')} (mean ${g.rewardMean.toFixed(2)})\n`);
      io.out.write(`wrote ${files.join(', ')} in ${options.out}: ${groups.length} groups, ${manifest.completions} completions, ${sft.length} SFT examples; rollout set ${id} in ${store.path}\n`);
      io.out.write(`answers from ${source}\n`);
    } finally {
      store.close();
    }
    return controller.signal.aborted ? 2 : 0;
  } finally {
    io.offInterrupt(onInterrupt);
    await pool.dispose();
  }
}
