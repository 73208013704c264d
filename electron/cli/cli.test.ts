// The `caplab` command as a user meets it: arguments, output, exit codes, JSON files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../shared/bench.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const workDir = mkdtempSync(join(tmpdir(), 'caplab-cli-'));

describe('caplab CLI', () => {
  it('run --agent expert prints the line trace and exits 0 with the reason last', async () => {
    const c = capture();
    const code = await main(['run', '--task', 'cube-lift', '--agent', 'expert', '--seed', '4'], c.io);
    const lines = c.out().trimEnd().split('\n');
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/^success: cube raised/);
    expect(c.out()).toMatch(/^\s*\d+ │ .*get_object_pose\('cube'\)/m);
    expect(c.out()).toContain('↳ close_gripper() ok');
  });

  it('run --program exits 1 when the task is not achieved and 2 on a policy error', async () => {
    const idle = join(workDir, 'idle.py');
    writeFileSync(idle, 'obs = get_observation()\nprint(len(obs["q_rad"]))\n');
    const notAchieved = capture();
    expect(await main(['run', '--task', 'cube-lift', '--program', idle], notAchieved.io)).toBe(1);
    expect(notAchieved.out()).toContain('» 7');
    const broken = join(workDir, 'broken.py');
    writeFileSync(broken, 'x = 1\ny = x / 0\n');
    const error = capture();
    expect(await main(['run', '--task', 'cube-lift', '--program', broken], error.io)).toBe(2);
    expect(error.out()).toContain('ZeroDivisionError');
    expect(error.out().trimEnd().split('\n').at(-1)).toMatch(/^error: .*ZeroDivisionError/);
  });

  it('explains bad arguments with exit 2', async () => {
    const unknownTask = capture();
    expect(await main(['run', '--task', 'cube-juggle', '--agent', 'expert'], unknownTask.io)).toBe(2);
    expect(unknownTask.err()).toContain("unknown task 'cube-juggle'; known tasks: cube-lift");
    const badOption = capture();
    expect(await main(['bench', '--trails', '3'], badOption.io)).toBe(2);
    expect(badOption.err()).toContain("Unknown option '--trails'");
    const badTier = capture();
    expect(await main(['run', '--task', 'cube-lift', '--agent', 'expert', '--tier', 'S9'], badTier.io)).toBe(2);
    expect(badTier.err()).toContain('--tier S9: expected one of S1, S2, S3, S4');
  });

  it('bench writes the JSON report in the documented shape', async () => {
    const json = join(workDir, 'bench.json');
    const c = capture();
    const code = await main(['bench', '--tasks', 'cube-lift', '--agent', 'expert', '--trials', '3', '--workers', '2', '--json', json], c.io);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    const result = report.tasks['cube-lift'];
    expect(result?.trials).toBe(3);
    expect(result?.successes).toBe(3);
    expect(result?.rate).toBe(1);
    expect(result?.meanSeconds).toBeGreaterThan(0);
    expect(c.err()).toContain('3/3 100%');
    expect(c.out()).toMatch(/cube-lift\s+3\s+3\s+1\.00/);
  });

  it('keeps every run in the store: runs list and runs show read it back', async () => {
    const db = join(workDir, 'history.db');
    const c = capture();
    expect(await main(['run', '--task', 'cube-lift', '--agent', 'expert', '--seed', '2', '--db', db], c.io)).toBe(0);
    const id = /run (\d+) saved in/.exec(c.out())?.[1];
    expect(id).toBeDefined();
    const list = capture();
    expect(await main(['runs', 'list', '--db', db], list.io)).toBe(0);
    expect(list.out()).toMatch(new RegExp(`^\\s*${id}\\s+\\S+\\s+sim\\s+cube-lift\\s+S1 seed 2\\s+success`, 'm'));
    const show = capture();
    expect(await main(['runs', 'show', id!, '--db', db], show.io)).toBe(0);
    expect(show.out()).toContain("get_object_pose() ok");
    expect(show.out().trimEnd().split('\n').at(-1)).toMatch(/^success: cube raised/);
    const missing = capture();
    expect(await main(['runs', 'show', '9999', '--db', db], missing.io)).toBe(2);
    expect(missing.err()).toContain('there is no run 9999');
  });
});
