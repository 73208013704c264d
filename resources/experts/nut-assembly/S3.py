# Human-expert reference program for nut-assembly at tiers S3 and S4 (reduced API; S4 only drops the examples from the docs: images, perception steps, IK
# and joint moves). Hole centre from the nut's mask, handle grasp from its mask, peg axis from its mask. The camera is a real
# RGB-D camera's (noisy depth, missing at edges and where the metal nut faces it): each part is seen in several frames and its
# points flattened onto one height, so its outline (not the noisiest point) gives its centre and yaw.
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


PEG_TOP_M = 0.10
hx, hy, _, _, _ = look('blue nut', above=0.004)
# The peg's upper half: the top disc and the side facing the camera, both within the disc's outline from above.
px, py, _, _, _ = look('yellow peg', above=PEG_TOP_M / 2)
gx, gy, _, handle_yaw, half = look('nut handle', above=0.004)
# Jaws across the handle's narrow side; the fingertips 13.5 mm above the table.
quat = down(handle_yaw + math.pi / 2 if half[0] <= half[1] else handle_yaw)
grasp = [gx, gy, 0.0135]
offset = [hx - gx, hy - gy]
open_gripper()
move_to([grasp[0], grasp[1], grasp[2] + 0.1], quat)
glide(grasp, quat)
if close_gripper() < 0.005:
    raise RuntimeError('missed the handle')
carry_z = PEG_TOP_M + 0.05
glide([grasp[0], grasp[1], carry_z], quat, step=0.05)
above = [px - offset[0], py - offset[1]]
glide([above[0], above[1], carry_z], quat, step=0.04)
glide([above[0], above[1], grasp[2] + 0.005], quat)
open_gripper()
glide([above[0], above[1], carry_z], quat, step=0.05)
print('nut on the peg')
