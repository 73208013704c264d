import { describe, expect, it } from 'vitest';
import { renderApiDocs, renderStub } from './docs.ts';
import { findApiFunction } from './spec.ts';
import { apiForTier, TIERS } from './tiers.ts';

describe('API docs from the spec', () => {
  it('renders a stub with units, frames and examples', () => {
    const stub = renderStub(findApiFunction('move_to_pose')!);
    expect(stub.split('\n')[0]).toBe(
      "def move_to_pose(position_m, quat_wxyz, arm='left', wait=True) -> tuple[list[float], list[float]]:",
    );
    expect(stub).toContain('position_m: Target position of the gripper centre');
    expect(stub).toContain('Expects a list of 3 finite numbers [x, y, z] in m (world frame).');
    expect(stub).toContain('Example:\n        move_to_pose([0.5, 0.0, 0.3], [0, 1, 0, 0])');
  });

  it('lists exactly the functions of a tier, without examples where the tier strips them', () => {
    const s1 = renderApiDocs(apiForTier(TIERS.S1));
    const s4 = renderApiDocs(apiForTier(TIERS.S4));
    expect(s1).toContain('def get_object_pose(name)');
    expect(s4).not.toContain('def get_object_pose');
    expect(s4).not.toContain('Example:');
    expect(s4).toContain("def solve_ik(position_m, quat_wxyz, arm='left')");
    expect(s4).toContain('def segment(rgb, text) -> Image:');
    expect(s1).not.toContain('def segment');
  });
});
