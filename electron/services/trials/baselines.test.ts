// The naive baseline programs (resources/baselines/), for real: every program runs to its end on
// its task at every tier it serves, S1 to S3 (python3 in a pty, MuJoCo in a worker) without a Python
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
/** The tiers whose API differs (S4 is S3's with the examples stripped from the docs). */
const TIERS_RUN: readonly TierId[] = ['S1', 'S2', 'S3'];

describe('naive baseline programs', () => {
  it('serve every task at every tier the experts have, each saying which tiers and what it omits', () => {
    for (const taskId of listTaskIds()) {
      const expertTiers = readdirSync(join(RESOURCES_DIR, 'experts', taskId)).filter((f) => /^S[1-4]\.py$/.test(f)).map((f) => f.slice(0, 2) as TierId);
      for (const tier of [...expertTiers, 'S4' as const]) {
        // Where the naive program is the same for two tiers (S2 answers S1's calls), one file serves both, as for the experts.
        const path = agentProgramPath('baseline', taskId, tier);
        const header = readFileSync(path, 'utf8');
        expect(header, path).toMatch(new RegExp(`^# Naive baseline for ${taskId} at tiers? [^\\n]*\\b${tier}\\b`));
        expect(header, path).toMatch(/\n# Omits: /);
      }
      expect(agentProgramPath('baseline', taskId, 'S4')).toBe(join(BASELINES, taskId, 'S3.py'));
      expect(agentProgramPath('baseline', taskId, 'M1')).toBe(join(BASELINES, taskId, existsSync(join(BASELINES, taskId, 'S2.py')) ? 'S2.py' : 'S1.py'));
    }
  });

  it.each(listTaskIds())('%s: each tier program runs to its end with no Python exception', async (taskId) => {
    const task = loadTask(taskId);
    const backend = await SimBackend.start(task);
    try {
      for (const tier of TIERS_RUN) {
        const events: PolicyEvent[] = [];
        const program = readAgentProgram('baseline', taskId, tier);
        expect(program.programName).toMatch(new RegExp(`^baselines/${taskId}/S[1-3]\\.py$`));
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
