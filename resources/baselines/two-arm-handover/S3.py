# Naive baseline for two-arm-handover at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs):
# what a first attempt without care does.
# Omits: yaw alignment (each arm keeps its own straight-ahead grip and the baton is taken to lie
# along x, whatever its turn), the grasp checks, and the second look: the right arm goes where the
# baton was planned to be at the meeting point, not where the left hand is. Open loop.
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

HALF_GAP_M = 0.06
MEET = [0.6, 0.0, 0.25]
RIGHT_GRIP = [0.0, 0.0, 1.0, 0.0]  # fingers down, yaw 180° (the right arm faces -x)
obs = get_observation()
mask = segment(obs['rgb'], 'orange baton')
box = box_of(obs, mask)
grasp, _ = plan_grasp(obs['depth'], obs['intrinsics'], mask)
cx, cy, _ = box['center_m']
pick = [cx - HALF_GAP_M, cy, grasp[2]]
open_gripper(arm='left')
move_to([pick[0], pick[1], pick[2] + 0.1], DOWN, 'left')
glide(pick, DOWN, 'left')
close_gripper(arm='left')
glide([pick[0], pick[1], MEET[2]], DOWN, 'left', step=0.05)
glide([MEET[0] - HALF_GAP_M, MEET[1], MEET[2]], DOWN, 'left', step=0.05)
take = [MEET[0] + HALF_GAP_M, MEET[1], MEET[2]]
open_gripper(arm='right')
move_to([take[0], take[1], take[2] + 0.1], RIGHT_GRIP, 'right')
glide(take, RIGHT_GRIP, 'right')
close_gripper(arm='right')
open_gripper(arm='left')
glide([MEET[0] - HALF_GAP_M - 0.1, MEET[1], MEET[2] + 0.1], DOWN, 'left', step=0.05)
glide([take[0], take[1], take[2] + 0.05], RIGHT_GRIP, 'right')
print('handed over (not checked)')
