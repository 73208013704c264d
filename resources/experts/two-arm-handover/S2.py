# Human-expert reference program for two-arm-handover at tier S2 (poses come from the cameras).
# The left arm picks the baton near its left end and brings it to the middle of the table; the
# right arm takes the right end; the left arm lets go and withdraws; the right arm lifts.
import math

HALF_GAP_M = 0.06  # each arm holds the baton this far from its centre
MEET = [0.6, 0.0, 0.25]

centre, quat = get_object_pose('baton')
w, x, y, z = quat
yaw = math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
axis = [math.cos(yaw), math.sin(yaw)]
left_grip = [0.0, math.cos(yaw / 2), math.sin(yaw / 2), 0.0]
open_gripper(arm='left')
pick = [centre[0] - HALF_GAP_M * axis[0], centre[1] - HALF_GAP_M * axis[1], centre[2]]
goto_pose(pick, left_grip, z_approach_m=0.1, arm='left')
if close_gripper(arm='left') < 0.005:
    raise RuntimeError('the left arm missed the baton')
move_to_pose([pick[0], pick[1], MEET[2]], left_grip, arm='left')
# Carry it to the meeting point, keeping its direction.
move_to_pose([MEET[0] - HALF_GAP_M * axis[0], MEET[1] - HALF_GAP_M * axis[1], MEET[2]], left_grip, arm='left')
# The cameras see the baton poorly under the hand; where it is follows from the grasp.
hand, _ = get_ee_pose(arm='left')
held = [hand[0] + HALF_GAP_M * axis[0], hand[1] + HALF_GAP_M * axis[1], hand[2]]
right_yaw = yaw + math.pi
right_grip = [0.0, math.cos(right_yaw / 2), math.sin(right_yaw / 2), 0.0]
take = [held[0] + HALF_GAP_M * axis[0], held[1] + HALF_GAP_M * axis[1], held[2]]
open_gripper(arm='right')
goto_pose(take, right_grip, z_approach_m=0.1, arm='right')
if close_gripper(arm='right') < 0.005:
    raise RuntimeError('the right arm missed the baton')
open_gripper(arm='left')
lp, lq = get_ee_pose(arm='left')
move_to_pose([lp[0] - 0.1, lp[1], lp[2] + 0.1], lq, arm='left')
move_to_pose([take[0], take[1], take[2] + 0.05], right_grip, arm='right')
print('handed over')
