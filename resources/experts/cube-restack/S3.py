# Human-expert reference program for cube-restack at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Unstack the red cube beside the stack, look again, put the green cube on it.
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


CUBE_M = 0.05
obs = get_observation()
home = obs['q_rad']


def pick(obs, text):
    grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], text))
    x, y, z = grasp
    open_gripper()
    move_to([x, y, z + 0.12], quat)
    glide([x, y, z], quat)
    if close_gripper() < 0.01:
        raise RuntimeError(f'missed the {text}')
    glide([x, y, z + 0.15], quat, step=0.05)
    return grasp, quat


def put(position, quat):
    move_to([position[0], position[1], position[2] + 0.1], quat)
    glide(position, quat)
    open_gripper()
    glide([position[0], position[1], position[2] + 0.12], quat, step=0.05)


top = box_of(obs, segment(obs['rgb'], 'red cube'))
tx, ty, _ = top['center_m']
side = -0.12 if ty > 0 else 0.12
grasp, quat = pick(obs, 'red cube')
below_top = top['top_m'] - grasp[2]
put([tx, ty + side, CUBE_M - below_top], quat)
move_to_joints(home)  # out of the camera's view
obs = get_observation()
red = box_of(obs, segment(obs['rgb'], 'red cube'))
grasp, quat = pick(obs, 'green cube')
rx, ry, _ = red['center_m']
put([rx, ry, red['top_m'] + 0.003 + CUBE_M - below_top], quat)
print('restacked: green on red')
