# Naive baseline for spill-wipe at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs):
# what a first attempt without care does.
# Omits: yaw alignment (the sponge is wiped as it was grasped, not turned long side across the
# stroke), the grasp check, pressing (it skims the table at the sponge's own height) and any second
# look: one stroke through the middle of the marks seen, open loop.
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

obs = get_observation()
spots = [box_of(obs, d['mask'])['center_m'] for d in detect_objects(obs['rgb'], 'magenta stain')]
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], 'yellow sponge'))
open_gripper()
move_to([grasp[0], grasp[1], grasp[2] + 0.1], quat)
glide(grasp, quat)
close_gripper()
height = grasp[2] + 0.004
glide([grasp[0], grasp[1], 0.12], quat, step=0.05)
xs = [p[0] for p in spots]
ys = [p[1] for p in spots]
start_x = min(xs) - 0.06
end_x = min(max(xs) + 0.10, 0.72)
y = sum(ys) / len(ys)
move_to([start_x, y, 0.08], quat)
glide([start_x, y, height], quat)
glide([end_x, y, height], quat)
glide([end_x, y, 0.08], quat)
print('wiped (not checked)')
