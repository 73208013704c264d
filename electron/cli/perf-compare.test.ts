// `caplab perf --compare`: ratios to a stored baseline, verdicts that know which way is better, a
// failing exit code for a slow-down, and the repository's own baseline file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineFrom, comparePerf, inferBetter, parseBaseline, type PerfBaseline } from './perf-compare.ts';
import { perfCommand } from './perf-command.ts';
import { capture } from './test-io.ts';

const baseline: PerfBaseline = {
  machine: { cpu: 'test', cores: 2, measuredAt: '2026-01-01T00:00:00Z' },
  defaultTolerance: 0.2,
  metrics: {
    'sim.stepsPerSecond': { value: 50_000, better: 'higher' },
    'camera.frameMs': { value: 50, better: 'lower', tolerance: 0.3 },
    'ui.twinBodies': { value: 27, better: 'none' },
    'sim.nativeRatio': { value: 0.4, better: 'higher' },
  },
};

const verdicts = (results: Record<string, number>): Record<string, string> =>
  Object.fromEntries(comparePerf(baseline, results).map((row) => [row.name, row.verdict]));

describe('perf comparison', () => {
  it.each([
    ['fails a drop of a higher-is-better metric and a rise of a lower-is-better one past their tolerance', { 'sim.stepsPerSecond': 39_000, 'camera.frameMs': 66, 'ui.twinBodies': 27, 'sim.nativeRatio': 0.4 }, ['worse', 'worse', 'reported', 'ok']],
    ['passes changes within the tolerance and names improvements', { 'sim.stepsPerSecond': 41_000, 'camera.frameMs': 64, 'ui.twinBodies': 3, 'sim.nativeRatio': 0.5 }, ['ok', 'ok', 'reported', 'better']],
    ['names an improvement of a lower-is-better metric', { 'sim.stepsPerSecond': 50_000, 'camera.frameMs': 30, 'ui.twinBodies': 27, 'sim.nativeRatio': 0.4 }, ['ok', 'better', 'reported', 'ok']],
  ])('%s', (_title, results, expected) => {
    const rows = verdicts(results);
    expect(['sim.stepsPerSecond', 'camera.frameMs', 'ui.twinBodies', 'sim.nativeRatio'].map((name) => rows[name])).toEqual(expected);
  });

  it('says which metrics were not measured and which are new, with the ratio of each measured one', () => {
    const rows = comparePerf(baseline, { 'sim.stepsPerSecond': 60_000, 'trial.wallMs.median': 120 });
    expect(rows.find((r) => r.name === 'sim.stepsPerSecond')).toMatchObject({ ratio: 1.2, verdict: 'ok' });
    expect(rows.find((r) => r.name === 'sim.nativeRatio')).toMatchObject({ now: null, verdict: 'not measured' });
    expect(rows.find((r) => r.name === 'trial.wallMs.median')).toMatchObject({ baseline: null, better: 'lower', verdict: 'new' });
  });

  it('infers the direction of new metrics from their names', () => {
    expect(['bench.trialsPerMinute.workers1', 'bench.scalingRatio', 'trial.physicsShare', 'ui.twinFps', 'so101.loopHz'].map(inferBetter)).toEqual(Array(5).fill('higher'));
    expect(['rpc.roundTripUs.p99', 'estop.uiToSimMs.median', 'agent.hostOverheadMs', 'rpc.overheadRatio'].map(inferBetter)).toEqual(Array(4).fill('lower'));
    expect(['estop.uiToSimMs.presses', 'ui.twinPixelRatio', 'omx.loopTimeouts', 'so101.loopHzLimit1Mbaud'].map(inferBetter)).toEqual(Array(4).fill('none'));
  });

  it('keeps directions and tolerances when a baseline is saved again, and says where it was measured', () => {
    const saved = baselineFrom({ 'camera.frameMs': 40, 'trial.wallMs.median': 100 }, baseline, 'quiet machine');
    expect(saved.metrics['camera.frameMs']).toEqual({ value: 40, better: 'lower', tolerance: 0.3 });
    expect(saved.metrics['trial.wallMs.median']).toEqual({ value: 100, better: 'lower' });
    expect(saved.machine).toMatchObject({ note: 'quiet machine', node: process.version });
    expect(parseBaseline(JSON.stringify(saved), 'saved.json')).toEqual(saved);
  });

  it('refuses a baseline file that does not say what it needs to', () => {
    expect(() => parseBaseline(JSON.stringify({ metrics: { x: { value: 'fast', better: 'up' } } }), 'bad.json')).toThrow(
      /invalid perf baseline bad\.json:\n {2}machine: .*\n {2}metrics\.x\.value: expected a number\n {2}metrics\.x\.better: expected higher, lower or none/,
    );
  });

  it('exits 1 with the table when stored results are slower than the baseline, 0 when they are not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caplab-perf-compare-'));
    const baselinePath = join(dir, 'baseline.json');
    writeFileSync(baselinePath, JSON.stringify(baseline));
    const slow = join(dir, 'slow.json');
    writeFileSync(slow, JSON.stringify({ 'sim.stepsPerSecond': 20_000, 'camera.frameMs': 50, 'ui.twinBodies': 27, 'sim.nativeRatio': 0.4 }));
    const failing = capture();
    expect(await perfCommand({ compare: baselinePath, results: slow }, failing.io)).toBe(1);
    expect(failing.out()).toMatch(/sim\.stepsPerSecond\s+↑\s+50000 →\s+20000\s+×0\.40\s+±20%\s+worse/);
    expect(failing.out()).toMatch(/1 metric got worse: sim\.stepsPerSecond\n$/);

    const fine = join(dir, 'fine.json');
    writeFileSync(fine, JSON.stringify({ 'sim.stepsPerSecond': 52_000, 'camera.frameMs': 45 }));
    const passing = capture();
    const saved = join(dir, 'new-baseline.json');
    expect(await perfCommand({ compare: baselinePath, results: fine, 'save-baseline': saved }, passing.io)).toBe(0);
    expect(passing.out()).toMatch(/no metric got worse than its tolerance/);
    expect(parseBaseline(readFileSync(saved, 'utf8'), saved).metrics['camera.frameMs']).toEqual({ value: 45, better: 'lower', tolerance: 0.3 });
  });

  it('has a baseline in the repository that names its machine and a direction for every metric', () => {
    const path = new URL('../../resources/perf/baseline.json', import.meta.url);
    const stored = parseBaseline(readFileSync(path, 'utf8'), 'resources/perf/baseline.json');
    expect(stored.machine).toMatchObject({ cores: expect.any(Number), cpu: expect.any(String), measuredAt: expect.any(String) });
    for (const name of ['sim.stepsPerSecond', 'bench.trialsPerMinute.workers1', 'bench.scalingRatio', 'trial.wallMs.median', 'trial.physicsShare', 'camera.frameMs', 'ui.serveToInteractiveMs']) {
      expect(stored.metrics[name], name).toBeDefined();
    }
  });
});

describe('perf steps', () => {
  it('refuses --only with a step it does not have, naming the steps', async () => {
    await expect(perfCommand({ only: 'sim,warp' }, capture().io)).rejects.toThrow(/^--only sim,warp: no step warp; steps: sim, physics, trials, rpc, camera, drivers, rig, rig-agent, agent, model, ui, bench, vla, rl, tasks$/);
  });
});
