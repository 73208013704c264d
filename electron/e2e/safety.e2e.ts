/**
 * Arming and the crash-safe bench in Chromium: Arm is held (a short press arms nothing), Disarm is
 * one click, each is an entry of the safety log the top bar opens and the store keeps; an
 * unfinished matrix in the store (one trial of two committed, as a killed console leaves it)
 * resumes from the Bench panel and runs only its missing trial.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../services/storage/run-store.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, openConsole, showPanel, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const session = e2eSession();
const { open } = session;

async function launch(seed?: Parameters<typeof startTestConsole>[0]): Promise<Page> {
  open.console = await startTestConsole(seed);
  open.page = await openConsole(session.browser(), open.console.url);
  return open.page.page;
}

/** Press the Arm button and keep it pressed; resolves with the release. */
async function pressArm(page: Page): Promise<() => Promise<void>> {
  await page.hover('[data-testid="arm"]');
  await page.mouse.down();
  await page.waitForSelector('[data-testid="arm"][data-holding="true"]');
  return () => page.mouse.up();
}

describe('arming from the top bar', () => {
  it('arms only when held, disarms at a click, and logs both in the safety log (shown and kept in the store)', async () => {
    const page = await launch();
    await page.waitForSelector('[data-testid="safety-state"][data-armed="false"]');
    expect(await page.isDisabled('[data-testid="disarm"]')).toBe(true);

    // A short press (let go at once, well within the second) arms nothing.
    await page.hover('[data-testid="arm"]');
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForSelector('[data-testid="arm"][data-holding="false"]');

    // Held until the console says ARMED.
    const release = await pressArm(page);
    await page.waitForSelector('[data-testid="safety-state"][data-armed="true"]');
    await release();
    expect(await page.textContent('[data-testid="safety-state"]')).toBe('ARMED');

    await page.click('[data-testid="disarm"]');
    await page.waitForSelector('[data-testid="safety-state"][data-armed="false"]');

    await page.click('[data-testid="safety-log-toggle"]');
    await page.waitForSelector('[data-testid="safety-log-entry"][data-action="disarm"]');
    const shown = await page.$$eval('[data-testid="safety-log-entry"]', (items) => items.map((item) => item.getAttribute('data-action')));
    // Exactly one arming: the short press armed nothing.
    expect(shown).toEqual(['disarm', 'arm']);
    expect(await page.textContent('[data-testid="safety-log"]')).toContain('the operator armed');
    mkdirSync(join(ARTIFACTS_DIR, 'safety'), { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'safety', 'top-bar-safety-log.png') });

    // Kept in the store, where another process (caplab runs safety) reads it.
    const store = RunStore.open(open.console!.dbPath);
    try {
      expect(store.safetyLog.recent().map((e) => [e.action, e.origin])).toEqual([
        ['disarm', 'console'],
        ['arm', 'console'],
      ]);
    } finally {
      store.close();
    }
  });
});

describe('resuming a bench matrix from the Bench panel', () => {
  it('lists the unfinished matrix with its finished trials and Resume runs only the missing one', async () => {
    let matrixId = 0;
    let firstCommit = '';
    const page = await launch((store) => {
      const request = { taskIds: ['cube-lift'], tiers: ['S1'], agent: 'expert', trials: 2, workers: 1, seed: 7 };
      matrixId = store.matrices.create('console', request, 2);
      const policy = { status: 'completed', reason: '', exception: null, stdout: '', stderr: '', terminal: '', wallMs: 500, exitCode: 0, signal: null } as const;
      store.matrices.commit(matrixId, 'agent', 'S1', { taskId: 'cube-lift', seed: 7, status: 'success', success: true, reason: 'cube raised', wallSeconds: 0.5, robotSeconds: 2, policy });
      firstCommit = store.matrices.trials(matrixId)[0]!.committedAt;
      store.matrices.release(matrixId);
    });
    await showPanel(page, 'bench');
    const row = `[data-testid="bench-matrix"][data-matrix-id="${matrixId}"]`;
    await page.waitForSelector(`${row}[data-state="unfinished"][data-finished="1"][data-total="2"]`);
    await page.click(`${row} [data-testid="bench-resume"]`);
    await page.waitForSelector(`${row}[data-state="finished"][data-finished="2"]`, { timeout: 90_000 });
    await page.waitForSelector('[data-testid="bench-progress"][data-state="finished"][data-done="2"][data-total="2"]');

    const store = RunStore.open(open.console!.dbPath);
    try {
      const trials = store.matrices.trials(matrixId);
      expect(trials.map((t) => t.outcome.seed).sort()).toEqual([7, 8]);
      // Seed 7 was not run again: its commit is the one from before.
      expect(trials.find((t) => t.outcome.seed === 7)!.committedAt).toBe(firstCommit);
      expect(trials.find((t) => t.outcome.seed === 8)!.runId).not.toBeNull();
      expect(store.benchReports(1)[0]!.tasks['cube-lift']).toMatchObject({ trials: 2 });
    } finally {
      store.close();
    }
  });
});
