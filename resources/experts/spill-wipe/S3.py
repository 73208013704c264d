# Human-expert reference program for spill-wipe at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Every spot detected separately; sponge grasp planned from its mask; wiping strokes as short moves.
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
spots = [box_of(obs, d['mask'])['center_m'] for d in detect_objects(obs['rgb'], 'magenta stain')]
print(len(spots), 'spots seen')
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], segment(obs['rgb'], 'yellow sponge'))
open_gripper()
move_to([grasp[0], grasp[1], grasp[2] + 0.1], quat)
glide(grasp, quat)
if close_gripper() < 0.02:
    raise RuntimeError('missed the sponge')
height = grasp[2] + 0.004
glide([grasp[0], grasp[1], 0.12], quat, step=0.05)
grasp_yaw = 2 * math.atan2(quat[2], quat[1])
turn = min((math.pi / 2, -math.pi / 2), key=lambda yaw: abs(math.remainder(grasp_yaw - yaw, 2 * math.pi)))
wipe = [0.0, math.cos(turn / 2), math.sin(turn / 2), 0.0]
xs = [p[0] for p in spots]
ys = [p[1] for p in spots]
start_x = min(xs) - 0.06
end_x = min(max(xs) + 0.10, 0.72)
for y in (min(ys) + 0.03, max(ys) - 0.03, sum(ys) / len(ys)):
    move_to([start_x, y, 0.08], wipe)
    glide([start_x, y, height], wipe)
    glide([end_x, y, height], wipe)
    glide([end_x, y, 0.08], wipe)
print('wiped')
