# Naive baseline for cube-stack at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs):
# what a first attempt without care does.
# Omits: yaw alignment (fingers at yaw 0, the red cube set down as grasped, not turned to the
# green one), the grasp check, and measuring: one look, the red cube assumed held at its middle
# and 5 cm tall. Open loop.
import math


def move_to(position, quat, arm='left'):
    """Go to a pose: IK, then a joint move."""
    move_to_joints(solve_ik(position, quat, arm=arm), arm=arm)


def glide(end, quat, arm='left', step=0.02):
    """Straight line from where the gripper is to `end`, as short joint moves (no feedback)."""
    start, _ = get_ee_pose(arm=arm)
    n = max(1, math.ceil(math.dist(start, end) / step))
    for i in range(1, n + 1):
        move_to([s + (e - s) * i / n for s, e in zip(start, end)], quat, arm)


def box_of(obs, mask):
    """Oriented box of a masked object, from the depth image."""
    return get_oriented_bounding_box(mask_to_points(obs['depth'], mask))


DOWN = [0.0, 1.0, 0.0, 0.0]  # fingers pointing down, yaw 0 (the left arm faces +x)

CUBE_M = 0.05
obs = get_observation()
green = box_of(obs, segment(obs['rgb'], 'green cube'))
grasp, _ = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], 'red cube'))
x, y, z = grasp
open_gripper()
move_to([x, y, z + 0.12], DOWN)
glide([x, y, z], DOWN)
close_gripper()
gx, gy, _ = green['center_m']
place_z = green['top_m'] + CUBE_M / 2
glide([x, y, place_z + 0.1], DOWN, step=0.05)
move_to([gx, gy, place_z + 0.1], DOWN)
glide([gx, gy, place_z], DOWN)
open_gripper()
glide([gx, gy, place_z + 0.12], DOWN, step=0.05)
print('stacked (not checked)')
