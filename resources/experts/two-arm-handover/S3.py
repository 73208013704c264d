# Human-expert reference program for two-arm-handover at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Baton outline from its mask in several frames (the depth is noisy), its points flattened onto its median top; the left arm brings it to the middle, the right arm takes the other end.
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


def down(yaw):
    """Fingers down, jaws closing across `yaw` + 90°, the one of the two equivalent yaws nearest the arm's."""
    yaw = (yaw + math.pi / 2) % math.pi - math.pi / 2
    return [0, math.cos(yaw / 2), math.sin(yaw / 2), 0]


def look(text, above, frames=3):
    """A part on the table, seen carefully: `text`'s pixels in a few frames (the depth noise differs per frame), points above
    `above` only (a flat look-alike is lower), the top face's height the median, the face's points flattened onto it."""
    points = []
    for k in range(frames):
        if k:
            sleep(0.1)
        obs = get_observation()
        points += [p for p in mask_to_points(obs['depth'], segment(obs['rgb'], text)) if p[2] > above]
    if len(points) < 30:
        raise RuntimeError(f'cannot see the {text}')
    top = sorted(p[2] for p in points)[len(points) // 2]
    face = [[p[0], p[1], top] for p in points if abs(p[2] - top) < 0.015]
    box = get_oriented_bounding_box(face)
    x, y, _ = box['center_m']
    return x, y, top, box['yaw_rad'], box['half_sizes_m']



HALF_GAP_M = 0.06
MEET = [0.6, 0.0, 0.25]
cx, cy, top, yaw, half = look('orange baton', above=0.004)
if half[1] > half[0]:
    yaw += math.pi / 2  # the long side is the box's y axis
grasp = [cx, cy, top / 2]  # lying on the table: its centre is half its height up
axis = [math.cos(yaw), math.sin(yaw)]
left_grip = [0.0, math.cos(yaw / 2), math.sin(yaw / 2), 0.0]
pick = [cx - HALF_GAP_M * axis[0], cy - HALF_GAP_M * axis[1], grasp[2]]
open_gripper(arm='left')
move_to([pick[0], pick[1], pick[2] + 0.1], left_grip, 'left')
glide(pick, left_grip, 'left')
if close_gripper(arm='left') < 0.005:
    raise RuntimeError('the left arm missed the baton')
glide([pick[0], pick[1], MEET[2]], left_grip, 'left', step=0.05)
glide([MEET[0] - HALF_GAP_M * axis[0], MEET[1] - HALF_GAP_M * axis[1], MEET[2]], left_grip, 'left', step=0.05)
hand, _ = get_ee_pose(arm='left')
take = [hand[0] + 2 * HALF_GAP_M * axis[0], hand[1] + 2 * HALF_GAP_M * axis[1], hand[2]]
right_yaw = yaw + math.pi
right_grip = [0.0, math.cos(right_yaw / 2), math.sin(right_yaw / 2), 0.0]
open_gripper(arm='right')
move_to([take[0], take[1], take[2] + 0.1], right_grip, 'right')
glide(take, right_grip, 'right')
if close_gripper(arm='right') < 0.005:
    raise RuntimeError('the right arm missed the baton')
open_gripper(arm='left')
glide([hand[0] - 0.1, hand[1], hand[2] + 0.1], left_grip, 'left', step=0.05)
glide([take[0], take[1], take[2] + 0.05], right_grip, 'right')
print('handed over')
