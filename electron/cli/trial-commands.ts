/** The trial commands, `run` and `bench`, as `caplab` declares them (options, usage, examples). */
import { DB_OPTION, type CommandSpec, type OptionSpec } from './command-spec.ts';

/** Options of model-driven agents, shared by run and bench. */
const AGENT_OPTIONS: Record<string, OptionSpec> = {
  model: { type: 'string', value: 'PROVIDER:MODEL', help: 'the model(s) of a model-driven agent, comma-separated for agent0 (openai:gpt-4.1, ollama:qwen2.5-coder:7b, openai-compatible:replay)' },
  turns: { type: 'string', value: 'N', help: 'most turns of a multi-turn agent', default: '4' },
  candidates: { type: 'string', value: 'K', help: 'agent0: candidate programs per turn', default: '9' },
  rehearse: { type: 'boolean', help: 'agent0: rehearse candidates on a twin rebuilt from perception (labelled)' },
};

/** The VLA policy servers run_vla may use (offered only with one). */
const VLA_OPTION: Record<'vla', OptionSpec> = {
  vla: { type: 'string', value: 'SERVERS', help: 'offer run_vla with these policy servers: scripted (the emulator, started here), ws://… (OpenPI) or http://… (JSON), comma-separated, the first the default' },
};

const TASK_TIER_SEED: Record<string, OptionSpec> = {
  tier: { type: 'string', value: 'TIER', help: 'S1..S4 single-turn, M1..M4 multi-turn', default: 'S1; S2 for single-turn, M1 for multi-turn and agent0' },
  seed: { type: 'string', value: 'S', help: 'the episode seed (same seed, same scene)', default: '0' },
};

/** `caplab run`. */
export const RUN_COMMAND: CommandSpec = {
  summary: 'one trial with a live line trace (simulator or a real arm)',
  usage: [
    '--task T (--agent expert | --program FILE.py) [--seed S] [--tier S1..S4] [--quiet] [--json FILE]',
    '--task T --agent baseline [--seed S] [--tier S1..S4]   (the naive program of resources/baselines/)',
    '--task T --agent single-turn|multi-turn|agent0 --model PROVIDER:MODEL [--tier S1..M4] [--turns N] [--candidates K] [--rehearse] [--skills off|use|learn]',
    '--robot so101|omx --port DEV --armed --task pick-place (--agent expert | --program FILE.py) [--calibration FILE] [--estop-port DEV] [--unsandboxed]',
    '--robot so101 --port DEV --camera URL --camera-calibration FILE [--colours FILE] --tier S3 --armed --task cube-lift|cube-stack (--agent expert | --program FILE.py) [--twin physics|emulator] [--approve]   (perception from a calibrated camera; rehearsed on a twin rebuilt from it, then the operator approves; camera-judged)',
    '--robot so101 --port DEV --camera URL --camera-calibration FILE [--colours FILE] --armed --task cube-lift|cube-stack --agent single-turn|multi-turn|agent0 --model PROVIDER:MODEL [--tier S3|M4] [--turns N] [--candidates K] [--rehearse] [--approve]   (an agent writes the arm\'s programs; each rehearsed on the twin first, the episode camera-judged; agent0 --rehearse: every candidate on the twin too)',
    '--robot ur5e --host ADDR --armed --task waypoints (--agent expert | --program FILE.py) [--ur-ports D,S,R] [--estop-port DEV] [--unsandboxed]',
  ],
  options: {
    task: { type: 'string', value: 'T', help: 'the task (cube-lift, cube-stack, …; pick-place or waypoints on a real arm)' },
    agent: { type: 'string', value: 'A', help: 'expert (the reference program), baseline (the naive program of resources/baselines/), single-turn, multi-turn or agent0' },
    program: { type: 'string', value: 'FILE.py', help: 'run this program instead of an agent' },
    ...TASK_TIER_SEED,
    robot: { type: 'string', value: 'R', help: 'sim, so101, omx or ur5e (real arms: the dry run first, then the arm)', default: 'sim' },
    port: { type: 'string', value: 'DEV', help: "a serial arm's port (so101, omx), e.g. /dev/ttyACM0" },
    host: { type: 'string', value: 'ADDR', help: "a UR controller's address (ur5e)" },
    'ur-ports': { type: 'string', value: 'D,S,R', help: 'UR dashboard, secondary and RTDE ports', default: '29999,30002,30004' },
    'estop-port': { type: 'string', value: 'DEV', help: "a hardware e-stop box's serial port (heartbeat 'H', press 'E')" },
    calibration: { type: 'string', value: 'FILE', help: 'SO-101 calibration file', default: 'nominal calibration' },
    camera: { type: 'string', value: 'URL', help: "a real arm's camera (MJPEG stream): the perception tiers' calls and a camera-judged outcome" },
    'camera-calibration': { type: 'string', value: 'FILE', help: "the camera's calibration (intrinsics and cameraInBase; caplab calibrate, or the file caplab rig prints)" },
    colours: { type: 'string', value: 'FILE', help: 'colours taught on that camera by pointing at the objects (caplab calibrate colour, or the Cameras panel\'s Teach colour): they replace the task\'s words\' colours' },
    twin: { type: 'string', value: 'KIND', help: "a camera run's dry run: physics (a twin rebuilt from what the camera sees, judged there; the arm moves only after it succeeds) or emulator (the servo emulator, no objects)", default: 'physics' },
    approve: { type: 'boolean', help: 'after a rehearsal on the twin that succeeded, move the real arm without asking (else the CLI asks on the terminal, and without one the arm does not move)' },
    armed: { type: 'boolean', help: 'the operator arms the real arm (required to move it)' },
    unsandboxed: { type: 'boolean', help: 'arm a real arm although no policy sandbox (bubblewrap) is available here' },
    quiet: { type: 'boolean', help: 'no line trace, only the outcome' },
    json: { type: 'string', value: 'FILE', help: 'write the outcome (agents: and the turns) as JSON' },
    ...DB_OPTION,
    ...VLA_OPTION,
    ...AGENT_OPTIONS,
    skills: { type: 'string', value: 'MODE', help: 'skill library: off, use (offered to the agent) or learn (and distilled from successes)', default: 'learn' },
  },
  notes: ['exit codes: 0 success, 1 task not achieved, 2 policy error, timeout or stop (the reason is on the last line)'],
  examples: [
    'caplab run --task cube-lift --agent expert --seed 3',
    'caplab run --task cube-stack --agent multi-turn --model openai-compatible:replay --tier M1',
    'caplab run --robot so101 --port /dev/pts/N --camera URL --camera-calibration FILE --task cube-lift --agent multi-turn --model openai-compatible:replay --armed   (with caplab rig and caplab model-server --recordings resources/recordings/arms)',
    'caplab run --task cube-stack --program resources/vla/cube-stack.py --vla scripted',
  ],
  load: async () => (await import('./run-command.ts')).runCommand,
};

/** `caplab bench`. */
export const BENCH_COMMAND: CommandSpec = {
  summary: 'CaP-Bench: seeded trials across worker threads, a table and a JSON report',
  usage: [
    '--tasks all|a,b --agent expert|baseline [--tier S1..S4|S1,S3|all] [--difficulty easy|standard|hard] [--trials N] [--workers K] [--seed S] [--json FILE]',
    '--tasks all|a,b --agent expert,baseline[,AGENT] [--tier S1,S3] [--trials N] [--json FILE]   (one matrix per agent, then side by side)',
    '--tasks all|a,b --agent single-turn|multi-turn|agent0 --model PROVIDER:MODEL [--tier M4] [--turns N] [--candidates K] [--rehearse] [--skills off|use] [--baseline expert|none]',
    '--tasks a,b --program FILE.py [--vla SERVERS] [--trials N] [--baseline expert|none]',
    '--resume ID [--json FILE]',
    '--compare ID,ID [--json FILE]',
  ],
  options: {
    tasks: { type: 'string', value: 'LIST', help: 'all, or task ids separated by commas', default: 'all' },
    agent: { type: 'string', value: 'A', help: 'expert, baseline (the naive programs of resources/baselines/), single-turn, multi-turn or agent0; several separated by commas run one after another and are shown side by side with the gap expert − baseline', default: 'expert' },
    program: { type: 'string', value: 'FILE.py', help: 'run this program on every trial instead of an agent (next to the expert baseline)' },
    tier: { type: 'string', value: 'TIERS', help: 'one tier, several separated by commas, or all (S1–S4)', default: 'S1' },
    trials: { type: 'string', value: 'N', help: 'trials per task and tier (seeds S..S+N-1)', default: '10' },
    difficulty: { type: 'string', value: 'LEVEL', help: 'easy (the scenes before levels), standard (robosuite-like contacts, per-seed variation) or hard', default: 'standard' },
    workers: { type: 'string', value: 'K', help: 'simulator worker threads', default: 'the number of CPUs' },
    seed: { type: 'string', value: 'S', help: 'the first seed', default: '0' },
    json: { type: 'string', value: 'FILE', help: 'write the report as JSON (and a Markdown table beside it)' },
    resume: { type: 'string', value: 'ID', help: 'continue an unfinished matrix (killed or stopped): only its missing trials run, on the same seeds (caplab runs matrices lists them)' },
    compare: { type: 'string', value: 'IDS', help: 'show stored matrices side by side per task and tier (success, mean progress, the gap expert − baseline), computed from their committed trials; runs nothing' },
    ...DB_OPTION,
    baseline: { type: 'string', value: 'AGENT', help: 'run the expert first on the same tasks, tiers and seeds', default: 'expert for model agents and programs, none for the expert' },
    ...VLA_OPTION,
    ...AGENT_OPTIONS,
    skills: { type: 'string', value: 'MODE', help: 'skill library: off or use', default: 'off' },
  },
  notes: [
    'every finished trial is committed to the store under the matrix id printed at the start, so a killed bench loses only the trials that were running',
    'exit codes: 0 when every trial ran (whatever the success rate), 2 when stopped, on a full store or on a usage error',
  ],
  examples: [
    'caplab bench --tasks cube-lift,cube-stack --agent expert --trials 5 --workers 2 --json bench.json',
    'caplab bench --tasks all --agent expert --tier S1,S3 --difficulty hard --trials 20',
    'caplab bench --tasks all --agent agent0 --model openai-compatible:replay --tier M4 --trials 3',
    'caplab bench --tasks cube-stack --program resources/vla/cube-stack.py --vla scripted --trials 20',
    'caplab bench --tasks all --agent expert,baseline --tier S1,S3 --trials 50 --json gap.json',
    'caplab bench --resume 3',
    'caplab bench --compare 3,4',
  ],
  load: async () => (await import('./bench-command.ts')).benchCommand,
};
