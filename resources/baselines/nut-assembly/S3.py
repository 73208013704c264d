# Naive baseline for nut-assembly at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs):
# what a first attempt without care does.
# Omits: yaw alignment (fingers at yaw 0 on the handle, whatever the nut's turn), the grasp check,
# and a second look. Open loop: it lets the nut drop from just above the peg instead of lowering
# it down the peg.
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

PEG_TOP_M = 0.10
obs = get_observation()
nut = box_of(obs, segment(obs['rgb'], 'blue nut'))
peg = box_of(obs, segment(obs['rgb'], 'yellow peg'))
grasp, _ = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], 'nut handle'))
offset = [nut['center_m'][0] - grasp[0], nut['center_m'][1] - grasp[1]]
open_gripper()
move_to([grasp[0], grasp[1], grasp[2] + 0.1], DOWN)
glide(grasp, DOWN)
close_gripper()
carry_z = PEG_TOP_M + 0.05
glide([grasp[0], grasp[1], carry_z], DOWN, step=0.05)
above = [peg['center_m'][0] - offset[0], peg['center_m'][1] - offset[1]]
glide([above[0], above[1], carry_z], DOWN, step=0.04)
glide([above[0], above[1], PEG_TOP_M + 0.02], DOWN)
open_gripper()
glide([above[0], above[1], carry_z], DOWN, step=0.05)
print('nut dropped over the peg (not checked)')
