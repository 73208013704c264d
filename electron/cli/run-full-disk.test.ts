/**
 * `caplab run` on a disk that fills up, for real: the run store on a small tmpfs (mounted here
 * when the tests run as root, as in CI's container; skipped otherwise, where
 * `storage/store-full.test.ts` covers the same path with SQLite's own size limit).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../services/storage/run-store.ts';

const CAPLAB = fileURLToPath(new URL('../../bin/caplab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'caplab-full-disk-'));
const disk = join(dir, 'disk');
mkdirSync(disk);

/** A 1 MiB tmpfs at `disk`, or false where this process may not mount. */
function mountSmallDisk(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = mountSmallDisk();
afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
  rmSync(dir, { recursive: true, force: true });
});

const CHATTY = `i = 0
while True:
    i += 1
    print("line", i, "x" * 300)
    if i % 40 == 0:
        get_observation()
`;

describe.skipIf(!mounted)('caplab run on a full disk', () => {
  it('ends with "the run store is full", stops the robot, exits 2 without a crash, and keeps what it wrote', async () => {
    const program = join(dir, 'chatty.py');
    writeFileSync(program, CHATTY);
    const db = join(disk, 'caplab.db');
    const child = spawn(process.execPath, [CAPLAB, 'run', '--task', 'cube-lift', '--program', program, '--db', db, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(2);
    expect(output).toMatch(/cancelled: stopped: the run store is full: .*caplab\.db: database or disk is full/);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace: a clear error, not a crash

    // What was written before the disk filled is readable (a copy: opening writes, and the disk is full).
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    for (const suffix of ['', '-wal']) if (existsSync(db + suffix)) copyFileSync(db + suffix, join(copy, `caplab.db${suffix}`));
    const store = RunStore.open(join(copy, 'caplab.db'));
    const [run] = store.listRuns({ limit: 1 });
    const detail = store.getRun(run!.id)!;
    expect(detail.events.length).toBeGreaterThan(32);
    expect(detail.events.find((e) => e.kind === 'stdout')).toMatchObject({ text: expect.stringMatching(/^line 1 x/) });
    store.close();
  }, 60_000);
});
