# Human-expert reference program for cube-stack at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Red cube grasped from its mask; placed on the green cube's top face.
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


obs = get_observation()
red = segment(obs['rgb'], 'red cube')
green_box = box_of(obs, segment(obs['rgb'], 'green cube'))
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], red)
red_box = box_of(obs, red)
x, y, z = grasp
open_gripper()
move_to([x, y, z + 0.12], quat)
glide([x, y, z], quat)
if close_gripper() < 0.01:
    raise RuntimeError('missed the red cube')
# Hold the cube as far below its top as it was grasped; set it 3 mm above the green top.
below_top = red_box['top_m'] - z
gx, gy, _ = green_box['center_m']
place_z = green_box['top_m'] + 0.003 + (red_box['top_m'] - red_box['bottom_m'] if red_box['top_m'] - red_box['bottom_m'] > 0.03 else 0.05) - below_top
glide([x, y, place_z + 0.1], quat, step=0.05)
move_to([gx, gy, place_z + 0.1], quat)
glide([gx, gy, place_z], quat)
open_gripper()
glide([gx, gy, place_z + 0.12], quat, step=0.05)
print('stacked')
