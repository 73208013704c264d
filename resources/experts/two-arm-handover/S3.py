# Human-expert reference program for two-arm-handover at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Baton box from its mask; the left arm brings it to the middle, the right arm takes the other end.
import math


def move_to(position, quat, arm='left'):
    """Go to a pose: IK, then a joint move."""
    move_to_joints(solve_ik(position, quat, arm=arm), arm=arm)


def glide(end, quat, arm='left', step=0.02):
    """Straight line from where the gripper is to `end`, as short joint moves."""
    start, _ = get_ee_pose(arm=arm)
    n = max(1, math.ceil(math.dist(start, end) / step))
    for i in range(1, n + 1):
        move_to([s + (e - s) * i / n for s, e in zip(start, end)], quat, arm)


def box_of(obs, mask):
    """Oriented box of a masked object, from the depth image."""
    return get_oriented_bounding_box(mask_to_points(obs['depth'], mask))


HALF_GAP_M = 0.06
MEET = [0.6, 0.0, 0.25]
obs = get_observation()
mask = segment(obs['rgb'], 'orange baton')
box = box_of(obs, mask)
grasp, _ = plan_grasp(obs['depth'], obs['intrinsics'], mask)
cx, cy, _ = box['center_m']
yaw = box['yaw_rad']
if box['half_sizes_m'][1] > box['half_sizes_m'][0]:
    yaw += math.pi / 2  # the long side is the box's y axis
axis = [math.cos(yaw), math.sin(yaw)]
left_grip = [0.0, math.cos(yaw / 2), math.sin(yaw / 2), 0.0]
pick = [cx - HALF_GAP_M * axis[0], cy - HALF_GAP_M * axis[1], grasp[2]]
open_gripper(arm='left')
move_to([pick[0], pick[1], pick[2] + 0.1], left_grip, 'left')
glide(pick, left_grip, 'left')
if close_gripper(arm='left') < 0.005:
    raise RuntimeError('the left arm missed the baton')
glide([pick[0], pick[1], MEET[2]], left_grip, 'left', step=0.05)
glide([MEET[0] - HALF_GAP_M * axis[0], MEET[1] - HALF_GAP_M * axis[1], MEET[2]], left_grip, 'left', step=0.05)
hand, _ = get_ee_pose(arm='left')
take = [hand[0] + 2 * HALF_GAP_M * axis[0], hand[1] + 2 * HALF_GAP_M * axis[1], hand[2]]
right_yaw = yaw + math.pi
right_grip = [0.0, math.cos(right_yaw / 2), math.sin(right_yaw / 2), 0.0]
open_gripper(arm='right')
move_to([take[0], take[1], take[2] + 0.1], right_grip, 'right')
glide(take, right_grip, 'right')
if close_gripper(arm='right') < 0.005:
    raise RuntimeError('the right arm missed the baton')
open_gripper(arm='left')
glide([hand[0] - 0.1, hand[1], hand[2] + 0.1], left_grip, 'left', step=0.05)
glide([take[0], take[1], take[2] + 0.05], right_grip, 'right')
print('handed over')
