# Naive baseline for two-arm-lift at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs):
# what a first attempt without care does.
# Omits: yaw alignment (each arm keeps its own straight-ahead grip, not the grasp planner's turn),
# the grasp checks, a second look, and the expert's paired approach and lift in small steps: the
# arms reach their handles one after the other, and the lift is one move per arm started together.
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

GRIP = {'left': DOWN, 'right': [0.0, 0.0, 1.0, 0.0]}  # fingers down, facing across the table
obs = get_observation()
handles = detect_objects(obs['rgb'], 'pot handle')
grasps = [plan_grasp(obs['depth'], obs['intrinsics'], h['mask'])[0] for h in handles[:2]]
# The left arm stands at x = 0 and takes the nearer handle; the right arm, across, the other.
plan = {'left': min(grasps, key=lambda p: p[0]), 'right': max(grasps, key=lambda p: p[0])}
for arm, p in plan.items():
    open_gripper(arm=arm)
    move_to([p[0], p[1], p[2] + 0.1], GRIP[arm], arm)
    move_to(p, GRIP[arm], arm)
for arm in plan:
    close_gripper(arm=arm)
for arm, p in plan.items():
    move_to_joints(solve_ik([p[0], p[1], p[2] + 0.15], GRIP[arm], arm=arm), arm=arm, wait=False)
wait_for_motion()
print('lifted (not checked)')
