/** Every `caplab` command, in the order `caplab --help` lists them. */
import { DB_OPTION, type CommandSpec } from './command-spec.ts';
import { BENCH_COMMAND, RUN_COMMAND } from './trial-commands.ts';
import { RL_COMMAND } from './rl-spec.ts';

const SKILLS_COMMAND: CommandSpec = {
  summary: 'the skill library: list, search, show and export skills',
  usage: ['list [--status S]', 'search WORDS… [--status S]', 'show NAME', 'export [--status S] [--out FILE]'],
  options: {
    status: { type: 'string', value: 'S', help: 'candidate, promoted or rejected', default: 'every status; promoted for export' },
    out: { type: 'string', value: 'FILE', help: 'export: write the skills to FILE', default: 'standard output' },
    ...DB_OPTION,
  },
  positionals: true,
  examples: ['caplab skills search lift cube', 'caplab skills export --out skills.py'],
  load: async () => (await import('./skills-command.ts')).skillsCommand,
};

const RUNS_COMMAND: CommandSpec = {
  summary: 'the run history: list runs, show one with its trace, export runs as MCAP or a LeRobotDataset; bench matrices; the safety log',
  usage: ['list [--task T] [--limit N]', 'show ID', 'export ID --format mcap --out FILE.mcap', 'export ID… --format lerobot --out DIR [--fps N] [--images]', 'matrices [--limit N]', 'safety [--limit N]'],
  options: {
    task: { type: 'string', value: 'T', help: 'list: only runs of this task' },
    limit: { type: 'string', value: 'N', help: 'list: the newest N runs', default: '20' },
    format: { type: 'string', value: 'mcap|lerobot', help: 'export: MCAP (Foxglove, Lichtblick) or LeRobotDataset v3 (one episode per run)' },
    out: { type: 'string', value: 'FILE|DIR', help: 'export: the MCAP file, or the dataset folder (new or empty)' },
    fps: { type: 'string', value: 'N', help: 'export lerobot: frames per second the joint samples are resampled to', default: '30' },
    images: { type: 'boolean', help: 'export lerobot: camera frames as PNG images even where ffmpeg could make MP4 videos' },
    ...DB_OPTION,
  },
  positionals: true,
  notes: [
    'MCAP channels: /joint_states (sensor_msgs/JointState), /tf (foxglove.FrameTransform), /scene (foxglove.SceneUpdate), /policy/trace and /policy/output (foxglove.Log), /camera/<name>/image (foxglove.CompressedImage); JSON messages.',
    'LeRobot videos are made with ffmpeg ($CAPLAB_FFMPEG, else ffmpeg on PATH; CAPLAB_FFMPEG=none: never); without it the frames are PNG images.',
  ],
  examples: ['caplab runs list --task cube-lift', 'caplab runs show 12', 'caplab runs export 12 --format mcap --out run-12.mcap', 'caplab runs export 12 13 14 --format lerobot --out datasets/cube-lift', 'caplab runs matrices', 'caplab runs safety'],
  load: async () => (await import('./runs-command.ts')).runsCommand,
};

const DEVICES_COMMAND: CommandSpec = {
  summary: "serial ports on this machine; probe one for servos and the arm's health",
  usage: ['[--port PATH]'],
  options: { port: { type: 'string', value: 'PATH', help: 'probe this port (Feetech and Dynamixel servos, SO-101 health)', default: 'list the ports' } },
  examples: ['caplab devices', 'caplab devices --port /dev/ttyACM0'],
  load: async () => (await import('./devices-command.ts')).devicesCommand,
};

const RIG_COMMAND: CommandSpec = {
  summary: 'the virtual bench: an arm in MuJoCo physics behind its emulated servo bus (a pty) and an overhead MJPEG camera',
  usage: ['--task T [--arm so101] [--seed S]'],
  options: {
    arm: { type: 'string', value: 'ARM', help: 'the arm on the bench (so101)', default: 'so101' },
    task: { type: 'string', value: 'T', help: "the task whose objects stand on the table (scaled to the arm's gripper, placed in its reach), e.g. cube-lift" },
    seed: { type: 'string', value: 'S', help: 'where the objects are placed', default: '0' },
  },
  notes: [
    'Prints the serial port (the host end of a socat pty pair) and the camera URL; connect with caplab run --robot so101 --port PATH or the console\'s Devices panel. Runs until Ctrl-C.',
  ],
  examples: ['caplab rig --arm so101 --task cube-lift --seed 3'],
  load: async () => (await import('./rig-command.ts')).rigCommand,
};

const CALIBRATE_COMMAND: CommandSpec = {
  summary: "camera calibration from checkerboard images; an SO-101's joint calibration from LeRobot",
  usage: [
    'intrinsics IMG.jpg… --board 9x6 --square-mm 25 --out FILE [--camera NAME]',
    'hand-eye --calibration FILE --samples FILE --board 9x6 --square-mm 25 [--out FILE]',
    'check FILE',
    'capture --url URL --board 9x6 [--count N] --dir DIR [--timeout-s S]',
    'import-lerobot FILE.json --device NAME [--out FILE]',
    'compare [--views N] [--seed S] [--conditions A,B] [--json]',
    'colour (--url URL | --image FILE.jpg) --object NAME --at U,V --out FILE [--camera NAME]',
  ],
  options: {
    board: { type: 'string', value: 'CxR', help: "the board's inner corners, columns x rows" },
    'square-mm': { type: 'string', value: 'MM', help: "a printed square's side in millimetres" },
    out: { type: 'string', value: 'FILE', help: 'the calibration file to write (colour: the colour book to add to)', default: 'hand-eye: the --calibration file; import-lerobot: ~/.caplab/calibration/so101-NAME.json' },
    camera: { type: 'string', value: 'NAME', help: "intrinsics, colour: the camera's name in the file", default: 'camera' },
    calibration: { type: 'string', value: 'FILE', help: 'hand-eye: the intrinsics file to extend' },
    samples: { type: 'string', value: 'FILE', help: 'hand-eye: board views with the arm poses (JSON)' },
    url: { type: 'string', value: 'URL', help: 'capture, colour: an MJPEG network camera' },
    count: { type: 'string', value: 'N', help: 'capture: board views to save', default: '12' },
    dir: { type: 'string', value: 'DIR', help: 'capture: where the views go' },
    'timeout-s': { type: 'string', value: 'S', help: 'capture: give up after S seconds; colour: wait S for a frame', default: 'capture 120, colour 5' },
    device: { type: 'string', value: 'NAME', help: "import-lerobot: the arm's name in Caplab's calibration (e.g. its port, ttyACM0)" },
    views: { type: 'string', value: 'N', help: 'compare: rendered boards per condition', default: '12' },
    seed: { type: 'string', value: 'S', help: 'compare: the seed of the board poses and the noise', default: '0' },
    conditions: { type: 'string', value: 'A,B', help: 'compare: only these of clean, blur, noise, tilted, real-looking', default: 'all' },
    json: { type: 'boolean', help: 'compare: the whole comparison as one JSON document' },
    object: { type: 'string', value: 'NAME', help: "colour: the task's object the pixel shows (cube, cube_red, …)" },
    at: { type: 'string', value: 'U,V', help: "colour: the pixel of the object, column,row from the image's top left" },
    image: { type: 'string', value: 'FILE.jpg', help: 'colour: a frame saved from the camera (instead of --url)' },
  },
  positionals: true,
  notes: [
    "compare renders checkerboards seen by a known camera (clean, blurred, noisy, strongly tilted, and all of it with uneven light and JPEG), finds the corners with Caplab's detector, and calibrates with Caplab's code and with OpenCV's WebAssembly build (calibrateCameraExtended, solvePnP) on the same corners; it prints each one's errors against the truth.",
    "colour learns the hue and saturation of the patch of one colour around the pixel (lighting-robust: brightness is not part of it) and adds it to the colour book --out; caplab run --camera … --colours FILE then finds that object by it. The console's Cameras panel teaches by clicking the live image.",
    "import-lerobot reads LeRobot's so101_follower calibration (per motor: id, drive_mode, homing_offset, range_min, range_max). It assumes the homing offsets LeRobot wrote are still in the servos (they are kept in the servos' EEPROM).",
  ],
  examples: [
    'caplab calibrate intrinsics shots/*.jpg --board 9x6 --square-mm 25 --out wrist.json',
    'caplab calibrate import-lerobot ~/.cache/huggingface/lerobot/calibration/robots/so101_follower/my_arm.json --device ttyACM0',
    'caplab calibrate compare --views 12 --seed 1',
    'caplab calibrate colour --url http://127.0.0.1:8081/stream.mjpg --object cube --at 322,251 --out colours.json',
  ],
  load: async () => (await import('./calibrate-command.ts')).calibrateCommand,
};

const PROMPT_COMMAND: CommandSpec = {
  summary: 'the prompt a coding agent gets (API docs from the spec)',
  usage: ['--task T [--tier S1..M4]'],
  options: {
    task: { type: 'string', value: 'T', help: 'the task' },
    tier: { type: 'string', value: 'TIER', help: 'S1..S4, M1..M4', default: 'S1' },
    vla: { type: 'string', value: 'NAMES', help: 'the prompt as with these VLA policy servers configured (run_vla offered)' },
  },
  examples: ['caplab prompt --task cube-lift --tier S3', 'caplab prompt --task cube-stack --vla pi0-droid'],
  load: async () => (await import('./prompt-command.ts')).promptCommand,
};

const PERF_COMMAND: CommandSpec = {
  summary: 'the performance suite (simulator, trials, RPC, bench, e-stop, UI); --compare fails on a slow-down',
  usage: ['[--json FILE] [--quick] [--only STEP,...] [--compare BASELINE.json] [--results FILE] [--save-baseline FILE [--note TEXT]]'],
  options: {
    json: { type: 'string', value: 'FILE', help: 'write every metric as a flat JSON map' },
    quick: { type: 'boolean', help: 'skip the slow bench-throughput metrics' },
    only: { type: 'string', value: 'STEP,...', help: 'only these steps: sim, physics, trials, rpc, camera, drivers, agent, model, ui, bench, vla, rl, tasks' },
    compare: { type: 'string', value: 'FILE', help: "each metric's ratio to this baseline; exit 1 when one got worse than its tolerance" },
    results: { type: 'string', value: 'FILE', help: 'compare (or save) the metrics of an earlier --json run instead of measuring' },
    'save-baseline': { type: 'string', value: 'FILE', help: "write the metrics as a baseline (with this machine), keeping --compare's directions and tolerances" },
    note: { type: 'string', value: 'TEXT', help: "said in a saved baseline's machine.note (how quiet the machine was)" },
  },
  examples: ['caplab perf --quick --json perf.json', 'caplab perf --compare resources/perf/baseline.json', 'caplab perf --only camera,trials'],
  load: async () => (await import('./perf-command.ts')).perfCommand,
};

const SERVE_COMMAND: CommandSpec = {
  summary: 'browser mode: the console on http://127.0.0.1 with a per-launch token',
  usage: ['[--port P] [--db FILE] [--foxglove-port P] [--unsandboxed]'],
  options: {
    port: { type: 'string', value: 'P', help: 'the TCP port on loopback (0: any free one)', default: '5170' },
    host: { type: 'string', value: 'H', help: 'only 127.0.0.1 or localhost (use ssh -L to watch from elsewhere)', default: '127.0.0.1' },
    'foxglove-port': { type: 'string', value: 'P', help: 'also a Foxglove WebSocket server on this loopback port (Foxglove, Lichtblick: joint states, poses, scene, trace, cameras live)', default: 'none' },
    unsandboxed: { type: 'boolean', help: 'let the operator arm real arms although no policy sandbox (bubblewrap) is available here' },
    ...DB_OPTION,
  },
  examples: ['caplab serve --port 5170', 'caplab serve --foxglove-port 8765'],
  load: async () => (await import('./serve-command.ts')).serveCommand,
};

const MODEL_SERVER_COMMAND: CommandSpec = {
  summary: 'replay recorded model exchanges (OpenAI and Anthropic wire formats) on loopback',
  usage: ['--recordings FILE|DIR [--port P]'],
  options: {
    recordings: { type: 'string', value: 'FILE|DIR', help: 'a recording file, or a folder of *.json recordings' },
    port: { type: 'string', value: 'P', help: 'the TCP port on loopback (0: any free one)', default: '5180' },
  },
  notes: ['It answers recordings, never a live model: every response carries x-caplab-recording with the recording\'s label.'],
  examples: ['caplab model-server --recordings resources/recordings --port 5180'],
  load: async () => (await import('./model-server-command.ts')).modelServerCommand,
};

const VLA_SERVER_COMMAND: CommandSpec = {
  summary: "a VLA policy-server emulator: OpenPI's websocket protocol (and HTTP JSON) with a scripted policy, not a model",
  usage: ['--scripted [--port P] [--host H]'],
  options: {
    scripted: { type: 'boolean', help: 'the scripted policy (picks up the cube of the colour the prompt names on panda-table)' },
    port: { type: 'string', value: 'P', help: 'the TCP port (0: any free one)', default: '8000' },
    host: { type: 'string', value: 'H', help: 'the address to listen on', default: '127.0.0.1' },
  },
  notes: ['Its metadata says scripted: true; use it with caplab run --vla ws://127.0.0.1:8000 or the console\'s Policy servers panel.'],
  examples: ['caplab vla-server --scripted --port 8000'],
  load: async () => (await import('./vla-server-command.ts')).vlaServerCommand,
};

const DETECT_COMMAND: CommandSpec = {
  summary: 'ask an open-vocabulary detector/segmenter server (CaP-X SAM3 /segment, or Caplab\'s /detect) what it finds in an image',
  usage: ['--server URL --image FILE.jpg --query "red cube[,…]" [--dialect capx-sam3|caplab] [--min-score S] [--json]'],
  options: {
    server: { type: 'string', value: 'URL', help: "the detector server's base URL" },
    dialect: { type: 'string', value: 'D', help: "capx-sam3 (CaP-X's SAM3 server: POST /segment) or caplab (shared/perception-service.ts: POST /detect)", default: 'capx-sam3' },
    image: { type: 'string', value: 'FILE', help: 'a JPEG image (a camera snapshot)' },
    query: { type: 'string', value: 'Q', help: 'what to find; comma-separated for several' },
    'min-score': { type: 'string', value: 'S', help: 'report detections scoring at least S', default: '0.3' },
    'timeout-ms': { type: 'string', value: 'MS', help: 'give up on a request after MS', default: '10000' },
    json: { type: 'boolean', help: 'one JSON line instead of text' },
  },
  examples: ['caplab detect --server http://127.0.0.1:8114 --image snapshot.jpg --query "red cube"'],
  load: async () => (await import('./detect-command.ts')).detectCommand,
};

const DETECTOR_SERVER_COMMAND: CommandSpec = {
  summary: 'a detector-server emulator speaking CaP-X SAM3\'s /segment and Caplab\'s /detect; it finds colour words, it is not a model',
  usage: ['--emulator [--port P] [--host H]'],
  options: {
    emulator: { type: 'boolean', help: 'the colour-word emulator (red, green, blue, yellow, orange, purple)' },
    port: { type: 'string', value: 'P', help: 'the TCP port (0: any free one)', default: '8114' },
    host: { type: 'string', value: 'H', help: 'the address to listen on', default: '127.0.0.1' },
  },
  examples: ['caplab detector-server --emulator'],
  load: async () => (await import('./detect-command.ts')).detectorServerCommand,
};

const DOCTOR_COMMAND: CommandSpec = {
  summary: 'check the environment (python3, node-pty, MuJoCo, …)',
  usage: [''],
  options: {},
  examples: ['caplab doctor'],
  load: async () => (await import('./doctor-command.ts')).doctorCommand,
};

/** The commands by name. */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  run: RUN_COMMAND,
  bench: BENCH_COMMAND,
  skills: SKILLS_COMMAND,
  runs: RUNS_COMMAND,
  prompt: PROMPT_COMMAND,
  devices: DEVICES_COMMAND,
  rig: RIG_COMMAND,
  calibrate: CALIBRATE_COMMAND,
  rl: RL_COMMAND,
  perf: PERF_COMMAND,
  serve: SERVE_COMMAND,
  'model-server': MODEL_SERVER_COMMAND,
  'vla-server': VLA_SERVER_COMMAND,
  detect: DETECT_COMMAND,
  'detector-server': DETECTOR_SERVER_COMMAND,
  doctor: DOCTOR_COMMAND,
};
