// The naive baseline programs (resources/baselines/), for real: every program runs to its end on
// its task at every tier it serves (python3 in a pty, MuJoCo in a worker) without a Python
// exception. Whether the task is achieved is the program's business (success or failure both pass).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIERS, type TierId } from '../../../shared/api/tiers.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { RESOURCES_DIR, agentProgramPath, listTaskIds, loadTask, readAgentProgram } from './catalog.ts';
import { runTrial } from './trial.ts';

const BASELINES = join(RESOURCES_DIR, 'baselines');
/** The tiers a task has a baseline program of its own for (S4 runs S3's, as the experts). */
const tiersOf = (taskId: string): TierId[] => readdirSync(join(BASELINES, taskId)).filter((f) => /^S[1-4]\.py$/.test(f)).map((f) => f.slice(0, 2) as TierId).sort();

describe('naive baseline programs', () => {
  it('exist for every task at every tier the experts have, each saying what it omits', () => {
    for (const taskId of listTaskIds()) {
      const expertTiers = readdirSync(join(RESOURCES_DIR, 'experts', taskId)).filter((f) => f.endsWith('.py')).sort();
      for (const file of expertTiers) {
        const path = join(BASELINES, taskId, file);
        expect(existsSync(path), path).toBe(true);
        expect(readFileSync(path, 'utf8'), path).toMatch(/^# Naive baseline for [\s\S]*?# Omits: /);
      }
      expect(agentProgramPath('baseline', taskId, 'S4')).toBe(join(BASELINES, taskId, 'S3.py'));
      expect(agentProgramPath('baseline', taskId, 'M1')).toBe(join(BASELINES, taskId, existsSync(join(BASELINES, taskId, 'S2.py')) ? 'S2.py' : 'S1.py'));
    }
  });

  it.each(listTaskIds())('%s: each tier program runs to its end with no Python exception', async (taskId) => {
    const task = loadTask(taskId);
    const backend = await SimBackend.start(task);
    try {
      for (const tier of tiersOf(taskId)) {
        const events: PolicyEvent[] = [];
        const program = readAgentProgram('baseline', taskId, tier);
        expect(program.programName).toBe(`baselines/${taskId}/${tier}.py`);
        const outcome = await runTrial({ task, seed: 7, tier: TIERS[tier], backend, ...program, onEvent: (event) => events.push(event) });
        const exceptions = events.filter((e) => e.kind === 'exception');
        expect(exceptions, `${taskId} ${tier}: ${outcome.reason}`).toEqual([]);
        expect(['success', 'failure'], `${taskId} ${tier}: ${outcome.reason}`).toContain(outcome.status);
        expect(events.some((e) => e.kind === 'api-call')).toBe(true);
      }
    } finally {
      await backend.dispose();
    }
  }, 180_000);
});
