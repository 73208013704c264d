# Naive baseline for nut-assembly at tiers S1 and S2 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (fingers at yaw 0 on the handle, whatever the nut's turn), the grasp check
# (it carries on whether or not it holds the nut), and a second look (where the hole is while
# carried is taken from the one look before the grasp). Open loop: it lets the nut drop from just
# above the peg instead of lowering it down the peg.
PEG_TOP_M = 0.10
DOWN = [0.0, 1.0, 0.0, 0.0]  # fingers pointing down, yaw 0

nut, _ = get_object_pose('nut')
peg, _ = get_object_pose('peg')
handle, _ = sample_grasp_pose('nut handle')
offset = [nut[0] - handle[0], nut[1] - handle[1]]
open_gripper()
goto_pose(handle, DOWN, z_approach_m=0.1)
close_gripper()
carry_z = PEG_TOP_M + 0.05
move_to_pose([handle[0], handle[1], carry_z], DOWN)
above = [peg[0] - offset[0], peg[1] - offset[1]]
move_to_pose([above[0], above[1], carry_z], DOWN)
move_to_pose([above[0], above[1], PEG_TOP_M + 0.02], DOWN)
open_gripper()
move_to_pose([above[0], above[1], carry_z], DOWN)
print('nut dropped over the peg (not checked)')
