// `caplab runs export` as a user meets it: runs recorded by `caplab run --db`, exported as MCAP and
// as a LeRobotDataset, and the mistakes a user makes answered with exit 2 and nothing written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../services/storage/run-store.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-runs-export-'));
const db = join(dir, 'caplab.db');
let ids: number[];

beforeAll(async () => {
  for (const seed of ['1', '2']) expect(await main(['run', '--task', 'cube-lift', '--agent', 'expert', '--seed', seed, '--db', db], capture().io)).toBe(0);
  const store = RunStore.open(db);
  ids = store.listRuns().map((r) => r.id).reverse();
  store.close();
}, 120_000);

describe('caplab runs export', () => {
  it('--format mcap writes the run and says what is in it', async () => {
    const out = join(dir, 'exports', 'run.mcap'); // its folder made as needed
    const c = capture();
    expect(await main(['runs', 'export', String(ids[0]), '--format', 'mcap', '--out', out, '--db', db], c.io)).toBe(0);
    expect(readFileSync(out).subarray(1, 5).toString()).toBe('MCAP');
    expect(c.out()).toMatch(new RegExp(`^run ${ids[0]}: \\d+ messages in ${out}`));
    expect(c.out()).toMatch(/\/joint_states\s+[1-9]\d*/);
    expect(c.out()).toMatch(/\/policy\/trace\s+[1-9]\d*/);
  });

  it('--format lerobot writes one episode per run', async () => {
    const out = join(dir, 'dataset');
    const c = capture();
    expect(await main(['runs', 'export', ...ids.map(String), '--format', 'lerobot', '--out', out, '--fps', '20', '--db', db], c.io)).toBe(0);
    expect(c.out()).toMatch(/^2 episodes, \d+ frames at 20 fps/);
    const info = JSON.parse(readFileSync(join(out, 'meta/info.json'), 'utf8'));
    expect(info).toMatchObject({ codebase_version: 'v3.0', fps: 20, total_episodes: 2 });
    for (const file of ['meta/stats.json', 'meta/tasks.parquet', 'meta/episodes/chunk-000/file-000.parquet', 'data/chunk-000/file-000.parquet']) expect(existsSync(join(out, file)), file).toBe(true);
  });

  it('answers mistakes with exit 2 and writes nothing', async () => {
    const taken = join(dir, 'taken.mcap');
    writeFileSync(taken, 'mine');
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    // A run kept before Caplab recorded joint telemetry (only its record, as an old store has it).
    const store = RunStore.open(db);
    const old = store.startRun({ robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'expert', seed: 9, programName: 'old.py', programSource: 'pass\n' }).id;
    store.close();
    const cases: [string[], RegExp][] = [
      [['runs', 'export', String(ids[0]), String(old), '--format', 'lerobot', '--out', join(dir, 'with-old')], new RegExp(`run ${old} has no joint telemetry`)],
      [['runs', 'export', '9999', '--format', 'mcap', '--out', join(dir, 'none.mcap')], /there is no run 9999/],
      [['runs', 'export', String(ids[0]), '--format', 'mcap', '--out', taken], /the file exists/],
      [['runs', 'export', ...ids.map(String), '--format', 'mcap', '--out', join(dir, 'two.mcap')], /one run per file/],
      [['runs', 'export', String(ids[0]), '--format', 'rosbag', '--out', join(dir, 'x')], /expected mcap or lerobot/],
      [['runs', 'export', String(ids[0]), '--format', 'lerobot', '--out', full], /not empty/],
      [['runs', 'export', String(ids[0]), '--format', 'lerobot', '--out', taken], /a file is there/],
      [['runs', 'export', '--format', 'mcap', '--out', join(dir, 'x.mcap')], /name the run ids/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main([...args, '--db', db], c.io), args.join(' ')).toBe(2);
      expect(c.err(), args.join(' ')).toMatch(message);
    }
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'none.mcap'))).toBe(false);
    expect(existsSync(join(dir, 'two.mcap'))).toBe(false);
    expect(existsSync(join(dir, 'with-old'))).toBe(false);
  });

  it('shows export in runs --help', async () => {
    const c = capture();
    expect(await main(['runs', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain('caplab runs export ID --format mcap --out FILE.mcap');
    expect(c.out()).toContain('--format mcap|lerobot');
  });
});
