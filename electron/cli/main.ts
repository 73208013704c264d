/**
 * The `caplab` command: the headless face of the app. Each sub-command is a thin adapter over
 * the services in `electron/services/`.
 */
import { parseArgs } from 'node:util';
import { type CliIo, UsageError } from './args.ts';

const USAGE = `usage: caplab <command> [options]

  run    --task T (--agent expert | --program FILE.py) [--seed S] [--tier S1..S4] [--robot sim]
         [--quiet] [--json FILE] [--vla scripted|URL]   one trial with a live line trace; --vla
                                                 offers run_vla with that policy server
  run    --task T --agent single-turn|multi-turn|agent0 --model provider:model[,provider:model]
         [--tier S1..M4] [--turns N] [--candidates K] [--rehearse] [--skills off|use|learn]
                                                 a coding agent; prints each turn (program,
                                                 trace, feedback, decision)
  run    --robot so101 --port DEV --armed --task pick-place (--agent expert | --program FILE.py)
         [--calibration FILE]                    on a real SO-101 (or its emulator): twin first,
                                                 then the arm, through the safety supervisor
  run    --robot omx --port DEV --armed --task pick-place (--agent expert | --program FILE.py)
                                                 on an OpenMANIPULATOR-X (Dynamixel, 1 Mbaud)
  run    --robot ur5e --host ADDR --armed --task waypoints (--agent expert | --program FILE.py)
         [--ur-ports DASHBOARD,SECONDARY,RTDE]   on a UR5e controller (or its emulator)
         real arms also take [--estop-port DEV]  a hardware e-stop button box (heartbeat 'H', press 'E')
  bench  --tasks all|a,b --agent expert [--tier S1..S4|S1,S3|all] [--trials N] [--workers K]
         [--seed S] [--json FILE]                seeded trials across worker threads; with
                                                 --json also a Markdown task × tier table
  bench  --tasks T --program FILE.py --vla scripted|URL [--trials N] ...
                                                 one program (e.g. resources/vla/cube-stack.py)
                                                 on every seed, next to the expert baseline
  bench  ... --agent single-turn|multi-turn|agent0 --model provider:model [--tier M4] [--turns N]
         [--candidates K] [--rehearse] [--skills off|use] [--baseline expert|none]
                                                 agent trials next to the expert baseline
  skills list [--status S] | show NAME | export [--out FILE] | search TEXT   the skill library
  prompt --task T [--tier S1..M4] [--vla NAME]   the prompt an agent gets (API docs from the spec;
                                                 with --vla, as with that policy server configured)
  devices [--port PATH]                          serial ports; probe one for servos and health
  calibrate intrinsics IMG.jpg... --board 9x6 --square-mm 25 --out FILE [--camera NAME]
  calibrate hand-eye --calibration FILE --samples FILE --board 9x6 --square-mm 25 [--out FILE]
  calibrate check FILE                           camera calibration from checkerboard images
  calibrate capture --url URL --board 9x6 [--count N] --dir DIR [--timeout-s S]
                                                 board views from an MJPEG network camera
  runs   list [--task T] | show ID [--db FILE]   run history (SQLite; default ~/.caplab/caplab.db)
  perf   [--json FILE] [--quick]                 performance suite
  serve  [--port P] [--db FILE]                  browser mode: the console on http://127.0.0.1 with a token
  doctor                                         environment check
  model-server --recordings FILE|DIR [--port P]  replay recorded model exchanges (OpenAI and
                                                 Anthropic wire formats) on loopback
  vla-server --scripted [--port P] [--host H]    a VLA policy-server emulator (OpenPI's websocket
                                                 protocol, HTTP JSON too) with a scripted policy

exit codes of run: 0 success, 1 task not achieved, 2 policy error, timeout or stop`;

/** Options of model-driven agents, shared by run and bench. */
const AGENT_OPTIONS = {
  model: { type: 'string' },
  turns: { type: 'string' },
  candidates: { type: 'string' },
  rehearse: { type: 'boolean' },
  skills: { type: 'string' },
} as const;

/** A fixed program and the VLA policy servers its run_vla may use, for run and bench. */
const PROGRAM_OPTIONS = {
  program: { type: 'string' },
  vla: { type: 'string' },
} as const;

/** A command: receives its parsed options (each command declares their shape). */
type Handler = (values: never, io: CliIo) => Promise<number>;

const COMMANDS: Record<
  string,
  { options: Record<string, { type: 'string' | 'boolean' }>; positionals?: boolean; load: () => Promise<Handler> }
> = {
  run: {
    options: {
      task: { type: 'string' },
      agent: { type: 'string' },
      seed: { type: 'string' },
      tier: { type: 'string' },
      robot: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'ur-ports': { type: 'string' },
      'estop-port': { type: 'string' },
      calibration: { type: 'string' },
      armed: { type: 'boolean' },
      quiet: { type: 'boolean' },
      json: { type: 'string' },
      db: { type: 'string' },
      ...PROGRAM_OPTIONS,
      ...AGENT_OPTIONS,
    },
    load: async () => (await import('./run-command.ts')).runCommand,
  },
  bench: {
    options: {
      tasks: { type: 'string' },
      agent: { type: 'string' },
      tier: { type: 'string' },
      trials: { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      db: { type: 'string' },
      baseline: { type: 'string' },
      ...PROGRAM_OPTIONS,
      ...AGENT_OPTIONS,
    },
    load: async () => (await import('./bench-command.ts')).benchCommand,
  },
  skills: {
    options: { db: { type: 'string' }, status: { type: 'string' }, out: { type: 'string' } },
    positionals: true,
    load: async () => (await import('./skills-command.ts')).skillsCommand,
  },
  runs: {
    options: { task: { type: 'string' }, db: { type: 'string' }, limit: { type: 'string' } },
    positionals: true,
    load: async () => (await import('./runs-command.ts')).runsCommand,
  },
  devices: {
    options: { port: { type: 'string' } },
    load: async () => (await import('./devices-command.ts')).devicesCommand,
  },
  calibrate: {
    options: {
      board: { type: 'string' },
      'square-mm': { type: 'string' },
      out: { type: 'string' },
      camera: { type: 'string' },
      calibration: { type: 'string' },
      samples: { type: 'string' },
      url: { type: 'string' },
      count: { type: 'string' },
      dir: { type: 'string' },
      'timeout-s': { type: 'string' },
    },
    positionals: true,
    load: async () => (await import('./calibrate-command.ts')).calibrateCommand,
  },
  prompt: {
    options: { task: { type: 'string' }, tier: { type: 'string' }, vla: { type: 'string' } },
    load: async () => (await import('./prompt-command.ts')).promptCommand,
  },
  perf: {
    options: { json: { type: 'string' }, quick: { type: 'boolean' } },
    load: async () => (await import('./perf-command.ts')).perfCommand,
  },
  serve: {
    options: { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' } },
    load: async () => (await import('./serve-command.ts')).serveCommand,
  },
  'model-server': {
    options: { recordings: { type: 'string' }, port: { type: 'string' } },
    load: async () => (await import('./model-server-command.ts')).modelServerCommand,
  },
  'vla-server': {
    options: { scripted: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' } },
    load: async () => (await import('./vla-server-command.ts')).vlaServerCommand,
  },
  doctor: {
    options: {},
    load: async () => (await import('./doctor-command.ts')).doctorCommand,
  },
};

/** The process's own I/O. */
function processIo(): CliIo {
  return {
    out: process.stdout,
    err: process.stderr,
    onInterrupt: (listener) => process.on('SIGINT', listener),
    offInterrupt: (listener) => process.off('SIGINT', listener),
  };
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err.write(`caplab: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: command.positionals === true });
    const handler = await command.load();
    return await handler({ ...values, positionals } as never, io);
  } catch (error) {
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err.write(`caplab ${name}: ${(error as Error).message}\n`);
    if (isUsage) io.err.write(`${USAGE}\n`);
    return 2;
  }
}
