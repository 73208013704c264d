# Human-expert reference program for nut-assembly at tiers S1 and S2 (high-level API; at S2 the same calls answer from the cameras).
# Hold the nut by its handle; carry it so that its hole is over the peg; lower it to the table.
PEG_TOP_M = 0.10

nut, _ = get_object_pose('nut')
peg, _ = get_object_pose('peg')
grasp, quat = sample_grasp_pose('nut handle')
# Where the hole is relative to the grasp point; the grasp keeps it while carrying.
offset = [nut[0] - grasp[0], nut[1] - grasp[1]]
print('hole is', [round(v, 3) for v in offset], 'm from the handle grasp')

open_gripper()
goto_pose(grasp, quat, z_approach_m=0.1)
if close_gripper() < 0.005:
    raise RuntimeError('missed the handle')
carry_z = PEG_TOP_M + 0.05
move_to_pose([grasp[0], grasp[1], carry_z], quat)
above = [peg[0] - offset[0], peg[1] - offset[1]]
move_to_pose([above[0], above[1], carry_z], quat)
move_to_pose([above[0], above[1], grasp[2] + 0.005], quat)
open_gripper()
move_to_pose([above[0], above[1], carry_z], quat)
print('nut on the peg')
