# Human-expert reference program for two-arm-lift at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Both handles detected; each arm takes the one on its side; a joint lift in small steps.
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
handles = detect_objects(obs['rgb'], 'pot handle')
if len(handles) < 2:
    raise RuntimeError(f'saw {len(handles)} handles, need 2')
plan = {}
for arm in ('left', 'right'):
    options = [plan_grasp(obs['depth'], obs['intrinsics'], h['mask'], arm=arm) for h in handles[:2]]
    # The left arm stands at x = 0 and takes the nearer handle; the right arm, across, the other.
    plan[arm] = (min if arm == 'left' else max)(options, key=lambda grasp: grasp[0][0])
for arm in plan:
    open_gripper(arm=arm)
for arm, (p, q) in plan.items():
    move_to_joints(solve_ik([p[0], p[1], p[2] + 0.1], q, arm=arm), arm=arm, wait=False)
wait_for_motion()
for arm, (p, q) in plan.items():
    move_to_joints(solve_ik(p, q, arm=arm), arm=arm, wait=False)
wait_for_motion()
for arm in plan:
    if close_gripper(arm=arm) < 0.005:
        raise RuntimeError(f'the {arm} arm missed its handle')
for step in range(1, 6):
    for arm, (p, q) in plan.items():
        move_to_joints(solve_ik([p[0], p[1], p[2] + 0.03 * step], q, arm=arm), arm=arm, wait=False)
    wait_for_motion()
print('lifted')
