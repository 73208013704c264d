/** `caplab rl`: CaP-RL's pieces around a trainer (verl): the dataset, the reward server, rollouts, evaluation. */
import { DB_OPTION, type CommandSpec } from './command-spec.ts';

/** The `rl` command: its sub-commands share one option table. */
export const RL_COMMAND: CommandSpec = {
  summary: "CaP-RL: verl's dataset, a reward server (simulator verdicts), GRPO rollouts and SFT data, a before/after eval",
  usage: [
    'dataset --tasks T,… --tiers S1,… --seeds A..B [--split 0.9] --out DIR [--jsonl] [--prompt-only]',
    'reward-server [--workers K] [--port P] [--preset capx|dense] [--queue N] [--timeout-s S]',
    'rollouts --model provider:model --group N --tasks T,… --tiers S1,… [--seeds A..B] --out DIR [--workers K]',
    'eval --model A --model B --tasks T,… [--tiers S1] --seeds A..B [--workers K] [--out FILE]',
  ],
  options: {
    tasks: { type: 'string', value: 'T,…', help: 'tasks (all, or a comma-separated list)', default: 'all' },
    tiers: { type: 'string', value: 'S1,…', help: 'tiers (single-turn: S1..S4)', default: 'S1' },
    seeds: { type: 'string', value: 'A..B', help: 'the episode seeds, both ends included', default: 'dataset 0..99; rollouts 0..0; eval 1000..1019' },
    split: { type: 'string', value: 'F', help: 'dataset: the fraction of seeds (the first ones) in train.parquet', default: '0.9' },
    out: { type: 'string', value: 'DIR', help: 'dataset, rollouts: the folder to write; eval: a JSON file of both models\' results' },
    jsonl: { type: 'boolean', help: 'dataset: also train.jsonl and test.jsonl' },
    'prompt-only': { type: 'boolean', help: "dataset: leave reward_model.ground_truth.program empty (CaP-X's trainer refuses oracle programs in training data)", default: 'the expert program' },
    workers: { type: 'string', value: 'K', help: 'simulator worker slots', default: 'the number of CPUs' },
    port: { type: 'string', value: 'P', help: 'reward-server: the TCP port on 127.0.0.1 (0: any free one)', default: '5190' },
    host: { type: 'string', value: 'H', help: 'reward-server: the address to listen on', default: '127.0.0.1' },
    preset: { type: 'string', value: 'capx|dense', help: "scoring: capx (CaP-X's rule: 1 on success, 0.1 for a clean exit, 0 on timeout or exception) or dense (the task's progress)", default: 'capx' },
    queue: { type: 'string', value: 'N', help: 'reward-server: requests waiting beyond the busy slots before 429', default: '256' },
    'timeout-s': { type: 'string', value: 'S', help: "a program's wall-clock limit (the task's own limit if lower)", default: "the task's limit" },
    model: { type: 'string', value: 'provider:model', help: 'rollouts: the policy model; eval: give it twice (before, after)', multiple: true },
    group: { type: 'string', value: 'N', help: 'rollouts: completions sampled per prompt (the GRPO group)', default: '8' },
    temperature: { type: 'string', value: 'T', help: 'rollouts: sampling temperature', default: '1.0' },
    ...DB_OPTION,
  },
  positionals: true,
  notes: [
    'The reward server answers POST /score {task|data_source, tier, seed, completion} and POST /score/batch {requests: […]}; GET /health, GET /metrics (Prometheus).',
    'native/python/caplab_reward.py is a verl custom_reward_function (compute_score) that calls the servers listed in CAPLAB_REWARD_URLS.',
  ],
  examples: [
    'caplab rl dataset --tasks all --tiers S1,S3 --seeds 0..99 --split 0.9 --out data/caplab-rl',
    'caplab rl reward-server --workers 4 --port 5190 --preset capx',
    'caplab rl rollouts --model vllm:Qwen2.5-Coder-7B-Instruct --group 8 --tasks all --tiers S3 --out rollouts/',
    'caplab rl eval --model vllm:base --model vllm:grpo-step-200 --tasks cube-lift,cube-stack --seeds 1000..1049',
  ],
  load: async () => (await import('./rl-command.ts')).rlCommand,
};
