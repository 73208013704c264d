# Naive baseline for two-arm-handover at tiers S1 and S2 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (each arm keeps its own straight-ahead grip and the baton is taken to lie
# along x, whatever its turn), the grasp checks, and the second look: the right arm goes where the
# baton was planned to be at the meeting point, not where it is. Open loop.
HALF_GAP_M = 0.06
MEET = [0.6, 0.0, 0.25]
LEFT_GRIP = [0.0, 1.0, 0.0, 0.0]  # fingers down, yaw 0 (the left arm faces +x)
RIGHT_GRIP = [0.0, 0.0, 1.0, 0.0]  # fingers down, yaw 180° (the right arm faces -x)

centre, _ = get_object_pose('baton')
open_gripper(arm='left')
pick = [centre[0] - HALF_GAP_M, centre[1], centre[2]]
goto_pose(pick, LEFT_GRIP, z_approach_m=0.1, arm='left')
close_gripper(arm='left')
move_to_pose([pick[0], pick[1], MEET[2]], LEFT_GRIP, arm='left')
move_to_pose([MEET[0] - HALF_GAP_M, MEET[1], MEET[2]], LEFT_GRIP, arm='left')
take = [MEET[0] + HALF_GAP_M, MEET[1], MEET[2]]
open_gripper(arm='right')
goto_pose(take, RIGHT_GRIP, z_approach_m=0.1, arm='right')
close_gripper(arm='right')
open_gripper(arm='left')
move_to_pose([MEET[0] - HALF_GAP_M - 0.1, MEET[1], MEET[2] + 0.1], LEFT_GRIP, arm='left')
move_to_pose([take[0], take[1], take[2] + 0.05], RIGHT_GRIP, arm='right')
print('handed over (not checked)')
