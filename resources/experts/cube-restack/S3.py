# Human-expert reference program for cube-restack at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Unstack the red cube beside the stack, look again, put the green cube on it. The camera is a real RGB-D
# camera's (noisy depth, missing at edges, a smaller orange block of nearly the red's colour): each cube is seen in several frames as the
# largest region of its colour, its top the median, and grasped from its flattened top face.
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


obs = get_observation()
home = obs['q_rad']


def pick(x, y, z, yaw, text):
    quat = down(yaw)
    open_gripper()
    move_to([x, y, z + 0.12], quat)
    glide([x, y, z], quat)
    if close_gripper() < 0.01:
        raise RuntimeError(f'missed the {text}')
    glide([x, y, z + 0.15], quat, step=0.05)
    return quat


def put(position, quat):
    move_to([position[0], position[1], position[2] + 0.1], quat)
    glide(position, quat)
    open_gripper()
    glide([position[0], position[1], position[2] + 0.12], quat, step=0.05)


# The red cube stands on the green one: its top is about two cubes up, its centre half a cube (25 mm) below the top.
tx, ty, top, yaw = look('red cube', above=0.075)
z = top - 0.025
quat = pick(tx, ty, z, yaw, 'red cube')
side = -0.12 if ty > 0 else 0.12
# Set down with its bottom 3 mm above the table (the cube's size varies by a few mm).
put([tx, ty + side, 0.05 + 0.003 - (top - z)], quat)
move_to_joints(home)  # out of the camera's view
rx, ry, red_top, _ = look('red cube', above=0.03)
gx, gy, green_top, green_yaw = look('green cube', above=0.03)
z = green_top / 2
quat = pick(gx, gy, z, green_yaw, 'green cube')
put([rx, ry, red_top + 0.003 + green_top - (green_top - z)], quat)
print('restacked: green on red')
