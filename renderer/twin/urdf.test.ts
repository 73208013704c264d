import { describe, expect, it } from 'vitest';
import { urdfProblem } from './urdf.ts';

describe('urdf check', () => {
  it('accepts a robot with links', () => {
    expect(urdfProblem('<?xml version="1.0"?><robot name="r"><link name="base"/></robot>')).toBeNull();
  });
  it('says what is wrong with other files', () => {
    expect(urdfProblem('  ')).toMatch(/empty/);
    expect(urdfProblem('<mujoco model="x"/>')).toMatch(/no <robot>/);
    expect(urdfProblem('<robot name="r"></robot>')).toMatch(/no <link>/);
  });
});
