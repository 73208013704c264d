import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TIERS } from './api/tiers.ts';
import { renderPrompt } from './prompt.ts';
import { parseTaskDefinition } from './tasks.ts';

const task = (id: string) =>
  parseTaskDefinition(readFileSync(new URL(`../resources/tasks/${id}.json`, import.meta.url), 'utf8'), `${id}.json`);

describe('prompts from the spec', () => {
  it('gives each tier its own API and setting', () => {
    const s1 = renderPrompt(task('cube-stack'), TIERS.S1);
    const s4 = renderPrompt(task('cube-stack'), TIERS.S4);
    expect(s1).toContain('Put the red cube on top of the green cube');
    expect(s1).toContain('def sample_grasp_pose(');
    expect(s1).toContain('ground truth');
    expect(s4).toContain('def plan_grasp(');
    expect(s4).not.toContain('def sample_grasp_pose(');
    expect(s4).not.toContain('Example:');
    expect(renderPrompt(task('two-arm-lift'), TIERS.M4)).toMatch(/two Panda arms \('left' and 'right'\)[\s\S]*what changed in the scene[\s\S]*FINISH/);
  });

  it('mentions run_vla only when a VLA server is configured, with the servers named', () => {
    expect(renderPrompt(task('cube-stack'), TIERS.S1)).not.toContain('run_vla');
    const offered = renderPrompt(task('cube-stack'), TIERS.S1, { vlaServers: ['pi0-droid', 'scripted'] });
    expect(offered).toContain("def run_vla(instruction, seconds, arm='left', server=None) -> dict:");
    expect(offered).toContain("Policy servers configured here: 'pi0-droid' (the default), 'scripted'.");
    expect(renderPrompt(task('cube-stack'), TIERS.S4, { vlaServers: ['x'] })).toContain('def run_vla(');
    expect(offered).not.toContain('stream_joints'); // the control loop's primitive is offered at no tier
  });

  it('documents every tier in resources/tiers', () => {
    const readme = readFileSync(new URL('../resources/tiers/README.md', import.meta.url), 'utf8');
    for (const id of Object.keys(TIERS)) expect(readme).toContain(`## ${id}`);
  });
});
