/**
 * Models, model-driven benches and run comparison in Chromium, against the replay model server
 * (a labelled recording of hand-written answers — `resources/recordings/agents/`, never a live
 * model): the Models panel finds the server, lists its models and tests the connection; a bench
 * with the multi-turn agent runs from the console after the expert baseline, each trial opening as
 * a run; two runs are compared side by side.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TrialOutcome } from '../../shared/run.ts';
import { loadRecordings } from '../services/providers/recordings.ts';
import { ReplayServer } from '../services/providers/replay-server.ts';
import type { RunStore } from '../services/storage/run-store.ts';
import { openConsole, screenshotPanel, showPanel, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const RECORDING = fileURLToPath(new URL('../../resources/recordings/agents/multi-turn-cube-stack.json', import.meta.url));
const BENCH_TIMEOUT_MS = 150_000;
const KEY = 'sk-e2e-not-a-real-key-0123456789';

const session = e2eSession<{ replay: ReplayServer }>();
const { open } = session;

/** The replay server, and a console whose discovery looks there too. */
async function launch(seed?: (store: RunStore) => void): Promise<{ page: Page; replay: ReplayServer }> {
  const replay = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
  open.replay = replay;
  open.console = await startTestConsole(seed, { env: { ...process.env, CAPLAB_NO_KEYCHAIN: '1', CAPLAB_MODEL_SERVERS: replay.openaiBaseUrl } });
  open.page = await openConsole(session.browser(), open.console.url);
  return { page: open.page.page, replay };
}

/** In the Models panel: find the replay server and use it as the openai-compatible provider. */
async function useReplayServer(page: Page, replay: ReplayServer): Promise<void> {
  await showPanel(page, 'models');
  const server = page.locator(`[data-testid="discovered-server"][data-base-url="${replay.openaiBaseUrl}"][data-reachable="true"]`);
  await server.waitFor();
  await server.locator('[data-testid="server-use"]').click();
  await page.waitForSelector('[data-testid="provider-row"][data-provider="openai-compatible"] [data-testid="provider-model"][data-model="openai-compatible:replay"]');
}

/** A finished run in the store (for comparing without running). */
function seedRun(store: RunStore, programSource: string, outcome: Pick<TrialOutcome, 'status' | 'success' | 'reason'>, calls: number): number {
  const run = store.startRun({ robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'program', seed: 3, programName: 'edited.py', programSource });
  for (let i = 0; i < calls; i += 1) run.log({ kind: 'api-call', tMs: i, fn: 'move_to_pose', args: [], durationMs: 1, ok: true });
  run.log({ kind: 'line', tMs: calls, line: 1 });
  const policy = { status: 'completed', reason: '', exception: null, stdout: '', stderr: '', terminal: '', wallMs: 1000, exitCode: 0, signal: null } as const;
  store.finishRun(run.id, { taskId: 'cube-lift', seed: 3, wallSeconds: 1, robotSeconds: 1, policy, ...outcome });
  return run.id;
}

describe('models, model benches and comparison', () => {
  it('the Models panel finds the replay model server, lists its models and tests the connection', async () => {
    const { page, replay } = await launch();
    await showPanel(page, 'models');
    await page.waitForSelector('[data-testid="keychain-note"][data-available="false"]:text("this session only")');
    const server = page.locator(`[data-testid="discovered-server"][data-base-url="${replay.openaiBaseUrl}"]`);
    await server.and(page.locator('[data-reachable="true"]')).waitFor();
    expect(await server.textContent()).toContain('1 model: replay');
    expect(await server.locator('[data-testid="server-label"]').textContent()).toBe('recordings, not a live model');
    await useReplayServer(page, replay);
    const row = page.locator('[data-testid="provider-row"][data-provider="openai-compatible"]');
    expect(await row.getAttribute('data-base-url-source')).toBe('console');
    await row.locator('[data-testid="provider-test"]').click();
    await row.locator('[data-testid="provider-test-result"][data-ok="true"]').waitFor();
    expect(await row.locator('[data-testid="provider-test-result"]').textContent()).toMatch(/^1 model listed in \d+ ms \(recordings, not a live model\)$/);
    // A key typed in: kept for the session (no keychain here), never shown again, never in the page.
    await row.locator('[data-testid="provider-key"]').fill(KEY);
    await row.locator('[data-testid="provider-key-save"]').click();
    await page.waitForSelector('[data-testid="provider-row"][data-provider="openai-compatible"][data-key-source="session"]');
    expect(await row.locator('[data-testid="provider-key"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(KEY);
    await row.locator('[data-testid="provider-test"]').click();
    await expect.poll(() => replay.log.filter((entry) => entry.path === '/v1/models').at(-1)?.headers['authorization']).toBe(`Bearer ${KEY}`);
    // The Task panel offers the model now.
    await showPanel(page, 'task');
    await page.waitForSelector('[data-testid="model-input-choices"] option[value="openai-compatible:replay"]', { state: 'attached' });
    await screenshotPanel(page, 'models', 'models');
  });

  it('a bench with the multi-turn agent runs from the console after the expert baseline; each trial opens as a run', async () => {
    const { page, replay } = await launch();
    await useReplayServer(page, replay);
    await showPanel(page, 'bench');
    await page.check('[data-testid="bench-task"][value="cube-stack"]');
    await page.uncheck('[data-testid="bench-tier"][value="S1"]');
    await page.check('[data-testid="bench-tier"][value="M1"]');
    await page.selectOption('[data-testid="bench-agent"]', 'multi-turn');
    await page.waitForSelector('[data-testid="bench-model-choices"] option[value="openai-compatible:replay"]', { state: 'attached' });
    await page.fill('[data-testid="bench-model"]', 'openai-compatible:replay');
    expect(await page.isChecked('[data-testid="bench-baseline"]')).toBe(true);
    await page.fill('[data-testid="bench-trials"]', '1');
    await page.fill('[data-testid="bench-seed"]', '5');
    await page.click('[data-testid="bench-start"]');
    await page.waitForSelector('[data-testid="bench-progress"][data-phase="baseline"][data-total="2"]');
    await page.waitForSelector('[data-testid="bench-progress"][data-state="finished"]', { timeout: BENCH_TIMEOUT_MS });
    const trials = page.locator('[data-testid="bench-trial"]');
    expect(await trials.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-agent'), r.getAttribute('data-baseline')]))).toEqual([['expert', 'true'], ['multi-turn', 'false']]);
    const agentTrial = page.locator('[data-testid="bench-trial"][data-agent="multi-turn"]');
    expect(await agentTrial.getAttribute('data-status')).toBe('success');
    const agentRunId = await agentTrial.getAttribute('data-run-id');
    const baselineRunId = await page.getAttribute('[data-testid="bench-trial"][data-agent="expert"]', 'data-run-id');
    await page.waitForSelector('[data-testid="bench-result-row"][data-task="cube-stack"][data-tier="M1"]');
    await screenshotPanel(page, 'bench-model-agent', 'bench');
    // Each trial opens as a run.
    await agentTrial.locator('[data-testid="bench-trial-open"]').click();
    await page.waitForSelector(`[data-testid="panel-runs"]:not([hidden]) [data-testid="run-detail"][data-run-id="${agentRunId}"]`);
    expect(await page.textContent('[data-testid="run-detail-status"]')).toBe('success');
    // And the agent's trial against its baseline, side by side.
    await showPanel(page, 'bench');
    await agentTrial.locator('[data-testid="bench-trial-compare"]').click();
    await page.waitForSelector(`[data-testid="panel-compare"]:not([hidden]) [data-testid="compare"][data-left="${baselineRunId}"][data-right="${agentRunId}"]`);
    await page.waitForSelector('[data-testid="compare-outcome"][data-field="agent"][data-differs="true"]');
  });

  it('benches the naive baseline and the expert; the side-by-side table shows both with the gap from their reports', async () => {
    const { page } = await launch();
    await showPanel(page, 'bench');
    await page.check('[data-testid="bench-task"][value="cube-lift"]');
    await page.fill('[data-testid="bench-trials"]', '1');
    await page.fill('[data-testid="bench-seed"]', '8');
    // Each matrix's trial list shows how its one trial ended (a new matrix clears the list).
    const succeeded: Record<string, number> = {};
    for (const agent of ['baseline', 'expert']) {
      await page.selectOption('[data-testid="bench-agent"]', agent);
      expect(await page.isDisabled('[data-testid="bench-model"]')).toBe(true);
      await page.click('[data-testid="bench-start"]');
      const trial = await page.waitForSelector(`[data-testid="bench-trial"][data-agent="${agent}"]`, { timeout: BENCH_TIMEOUT_MS });
      succeeded[agent] = (await trial.getAttribute('data-status')) === 'success' ? 1 : 0;
      await page.waitForSelector('[data-testid="bench-progress"][data-state="finished"]', { timeout: BENCH_TIMEOUT_MS });
    }
    const row = page.locator('[data-testid="bench-comparison-row"][data-task="cube-lift"][data-tier="S1"]');
    await row.locator('td[data-agent="baseline"]').waitFor();
    await row.locator('td[data-agent="expert"]').waitFor();
    // The gap is the expert's rate minus the baseline's, as the two trials ended.
    expect(Number(await row.getAttribute('data-gap'))).toBe(succeeded['expert']! - succeeded['baseline']!);
    await screenshotPanel(page, 'bench-expert-baseline', 'bench');
  });

  it('compares two runs: outcomes side by side, the program diff, a plots slot for each', async () => {
    let ids: number[] = [];
    const { page } = await launch((store) => {
      ids = [
        seedRun(store, 'open_gripper()\nmove_to_pose([0.5, 0, 0.3], [0, 1, 0, 0])\nclose_gripper()\n', { status: 'success', success: true, reason: 'cube raised' }, 3),
        seedRun(store, 'open_gripper()\nmove_to_pose([0.5, 0, 0.2], [0, 1, 0, 0])\nclose_gripper()\nprint("done")\n', { status: 'failure', success: false, reason: 'cube not raised' }, 2),
      ];
    });
    const [left, right] = ids as [number, number];
    await showPanel(page, 'runs');
    await page.click('[data-testid="runs-refresh"]');
    await page.click(`[data-testid="run-row"][data-run-id="${left}"]`);
    await page.click('[data-testid="run-detail-compare"]');
    await page.waitForSelector(`[data-testid="panel-compare"]:not([hidden]) [data-testid="compare"][data-left="${left}"]`);
    await page.selectOption('[data-testid="compare-right"]', String(right));
    const diff = page.locator('[data-testid="compare-diff"]');
    await diff.waitFor();
    expect([await diff.getAttribute('data-removed'), await diff.getAttribute('data-added')]).toEqual(['1', '2']);
    expect(await page.locator('[data-testid="diff-line"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(['same', 'removed', 'added', 'same', 'added']);
    const outcome = (field: string): Promise<string | null> => page.getAttribute(`[data-testid="compare-outcome"][data-field="${field}"]`, 'data-differs');
    expect(await outcome('status')).toBe('true');
    expect(await outcome('calls')).toBe('true');
    expect(await outcome('task')).toBe('false');
    expect(await page.textContent('[data-testid="compare-outcome"][data-field="status"]')).toContain('successfailure');
    expect(await page.locator('[data-testid="run-plots"]').evaluateAll((slots) => slots.map((s) => s.getAttribute('data-run-id')))).toEqual([String(left), String(right)]);
    await page.click('[data-testid="compare-swap"]');
    await page.waitForSelector(`[data-testid="compare"][data-left="${right}"][data-right="${left}"]`);
    await screenshotPanel(page, 'compare', 'compare');
  });
});
