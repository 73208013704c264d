# Naive baseline for cube-restack at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs):
# what a first attempt without care does.
# Omits: yaw alignment (fingers at yaw 0), the grasp checks, and the second look: from the one
# look the green cube is assumed right under the red one, and it is put where the red cube was
# meant to land, not where it did. Open loop.
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
top = box_of(obs, segment(obs['rgb'], 'red cube'))
grasp, _ = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], 'red cube'))
tx, ty, _ = top['center_m']
side = -0.12 if ty > 0 else 0.12
below_top = top['top_m'] - grasp[2]


def carry(source, target):
    open_gripper()
    move_to([source[0], source[1], source[2] + 0.12], DOWN)
    glide(source, DOWN)
    close_gripper()
    glide([source[0], source[1], source[2] + 0.15], DOWN, step=0.05)
    move_to([target[0], target[1], target[2] + 0.1], DOWN)
    glide(target, DOWN)
    open_gripper()
    glide([target[0], target[1], target[2] + 0.12], DOWN, step=0.05)


spot = [tx, ty + side, CUBE_M - below_top]
carry(grasp, spot)
carry([grasp[0], grasp[1], grasp[2] - CUBE_M], [spot[0], spot[1], spot[2] + CUBE_M + 0.003])
print('restacked (not checked)')
