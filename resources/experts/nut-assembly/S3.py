# Human-expert reference program for nut-assembly at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Hole centre from the nut's mask, handle grasp from its mask, peg axis from its mask.
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


PEG_TOP_M = 0.10
obs = get_observation()
nut = box_of(obs, segment(obs['rgb'], 'blue nut'))
peg = box_of(obs, segment(obs['rgb'], 'yellow peg'))
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], 'nut handle'))
offset = [nut['center_m'][0] - grasp[0], nut['center_m'][1] - grasp[1]]
open_gripper()
move_to([grasp[0], grasp[1], grasp[2] + 0.1], quat)
glide(grasp, quat)
if close_gripper() < 0.005:
    raise RuntimeError('missed the handle')
carry_z = PEG_TOP_M + 0.05
glide([grasp[0], grasp[1], carry_z], quat, step=0.05)
above = [peg['center_m'][0] - offset[0], peg['center_m'][1] - offset[1]]
glide([above[0], above[1], carry_z], quat, step=0.04)
glide([above[0], above[1], grasp[2] + 0.005], quat)
open_gripper()
glide([above[0], above[1], carry_z], quat, step=0.05)
print('nut on the peg')
