# Human-expert reference program for cube-lift at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). The camera is a real RGB-D camera's (noisy depth, missing at edges, a smaller orange block of nearly the cube's colour):
# the cube is seen in several frames, the largest region of its colour, its top the median, its grasp from the flattened top face.
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
    """A box on the table, seen carefully: the largest region `text` describes in each of a few frames (a smaller look-alike
    of its colour is another region; the depth noise differs per frame), its points above `above` only, the top face's
    height the median, the face's points flattened onto it."""
    points = []
    for k in range(frames):
        if k:
            sleep(0.1)
        obs = get_observation()
        found = detect_objects(obs['rgb'], text)
        if found:
            points += [p for p in mask_to_points(obs['depth'], found[0]['mask']) if p[2] > above]
    if len(points) < 30:
        raise RuntimeError(f'cannot see the {text}')
    top = sorted(p[2] for p in points)[len(points) // 2]
    face = [[p[0], p[1], top] for p in points if abs(p[2] - top) < 0.015]
    box = get_oriented_bounding_box(face)
    x, y, _ = box['center_m']
    return x, y, top, box['yaw_rad']


x, y, top, yaw = look('red cube', above=0.03)
print(f'cube top at {top:.3f} m')
quat = down(yaw)
z = top / 2  # the cube stands on the table: its centre is half its height up
open_gripper()
move_to([x, y, z + 0.12], quat)
glide([x, y, z], quat)
width = close_gripper()
if width < 0.005:
    raise RuntimeError('the gripper closed on nothing')
glide([x, y, z + 0.2], quat, step=0.05)
print('lifted')
