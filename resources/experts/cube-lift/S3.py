# Human-expert reference program for cube-lift at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Grasp planned from the depth image under the red cube's mask.
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
home = obs['q_rad']
mask = segment(obs['rgb'], 'red cube')
print('cube covers', mask.count_nonzero(), 'pixels')
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], mask)
x, y, z = grasp
open_gripper()
move_to([x, y, z + 0.12], quat)
glide([x, y, z], quat)
width = close_gripper()
if width < 0.005:
    raise RuntimeError('the gripper closed on nothing')
glide([x, y, z + 0.2], quat, step=0.05)
print('lifted')
