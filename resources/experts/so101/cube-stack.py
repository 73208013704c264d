# Human-expert program for an SO-101 on its bench, tier S3 (reduced API; a calibrated overhead
# camera): put the red cube on the green one. Both are found in the camera's image by colour; the
# red one is grasped fingers down, carried over the green one, set on its top face and let go,
# and the gripper goes up out of the camera's way. API frame: x forward from the base, z up, m.
import math


def move_to(q_goal):
    """A joint move in steps of at most 1.2 rad per joint (the supervisor allows 1.6 per command)."""
    global q_now
    q = q_now
    n = max(1, math.ceil(max(abs(g - c) for g, c in zip(q_goal, q)) / 1.2))
    for i in range(1, n + 1):
        # The last step is the goal itself: c + (g - c) * 1 can miss it by a rounding error, and a goal
        # at a joint limit (where IK puts it) is then refused as just outside it.
        q_now = move_to_joints(list(q_goal) if i == n else [c + (g - c) * i / n for g, c in zip(q_goal, q)])


def move_tool_to(position, quat, tries=3):
    """Move the tool point to `position`, then again by what it missed, until it is within 3 mm (a
    loaded joint droops, out at 0.2 m by a centimetre: the arm's own joint readings, get_ee_pose(),
    say where the tool point is); at most `tries` corrections."""
    aim = list(position)
    move_to(solve_ik(aim, quat))
    for _ in range(tries):
        at, _ = get_ee_pose()
        miss = [p - a for p, a in zip(position, at)]
        if math.hypot(*miss) <= 0.003:
            return
        aim = [a + m for a, m in zip(aim, miss)]
        try:
            move_to(solve_ik(aim, quat))
        except Exception:  # the corrected pose is out of reach: stay where the last move went
            return


def rotated_about_z(quat, angle):
    """The orientation turned by `angle` about the vertical (a cube looks the same every 90°)."""
    c, s = math.cos(angle / 2), math.sin(angle / 2)
    w, x, y, z = quat
    return [c * w - s * z, c * x - s * y, c * y + s * x, c * z + s * w]


def fixed_jaw_side(quat):
    """The horizontal direction from the tool point towards the fixed jaw (the tool's −y axis)."""
    w, x, y, z = quat
    side = [2 * (w * z - x * y), 2 * (x * x + z * z) - 1]
    norm = math.hypot(*side)
    return [side[0] / norm, side[1] / norm]


def grasp_point(quat):
    """Where the tool point goes down for the cube at (x, y, z) with the jaws at `quat`. The fixed
    jaw's pad is 15 mm from the tool point, as far as a 3 cm cube's face: aimed at the cube's centre,
    a millimetre of error (perception, a drooping joint) brings that pad down on the cube. Aimed
    GRASP_SHIFT_M towards the fixed jaw, it comes down clear; the closing jaw then pushes the cube
    that far across the table into it, and the cube ends centred between the jaws again."""
    side = fixed_jaw_side(quat)
    return [x + GRASP_SHIFT_M * side[0], y + GRASP_SHIFT_M * side[1], z]


def reachable_grasp(quat, positions):
    """The grasp orientation, or the same turned by a quarter or half turn, that the arm reaches at
    every position `positions(orientation)` gives (a five-joint arm cannot turn its fingers to every
    yaw everywhere)."""
    for angle in (0, math.pi / 2, -math.pi / 2, math.pi):
        turned = rotated_about_z(quat, angle)
        try:
            for p in positions(turned):
                solve_ik(p, turned)
        except Exception:  # solve_ik moves nothing: an IKError just rules this one out
            continue
        if angle:
            print(f'grasp turned by {math.degrees(angle):.0f} degrees to be reachable')
        return turned
    return quat  # none is: the moves below say why


def box_of(obs, mask):
    """Oriented box of a masked object, from the depth image."""
    return get_oriented_bounding_box(mask_to_points(obs['depth'], mask))


# The arm starts swung aside, out of the camera's view of the table (it must be, for the dry run
# sees the real scene too).
obs = get_observation()
q_now = obs['q_rad']
red = segment(obs['rgb'], 'red cube')
green = segment(obs['rgb'], 'green cube')
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], red)
green_box = box_of(obs, green)
x, y, z = grasp
gx, gy, _ = green_box['center_m']
green_top = green_box['top_m']
print(f'red grasp at [{x:.3f}, {y:.3f}, {z:.3f}], green top at [{gx:.3f}, {gy:.3f}, {green_top:.3f}]')
CARRY_Z = 0.065  # the cube's bottom clears the green top; higher, out at 0.2 m, the shoulder sags
CLEAR_Z = green_top + 2 * z + 0.02  # the tool point this far above the table clears the stacked red cube
GRASP_SHIFT_M = 0.005


def stack_path(quat):
    """Above the grasp, the grasp, off the table, up, over the green cube, onto it, clear of it."""
    rx, ry, rz = grasp_point(quat)
    return [[rx, ry, rz + 0.025], [rx, ry, rz], [rx - 0.03, ry, rz + 0.02], [rx, ry, CARRY_Z], [gx, gy, CARRY_Z],
            [gx, gy, green_top + z + 0.004], [gx, gy, CLEAR_Z]]


quat = reachable_grasp(quat, stack_path)
above, at, off_table, up = stack_path(quat)[:4]

open_gripper()
move_to(solve_ik(above, quat))  # low: out at 0.22 m, higher, the shoulder sags past its tolerance
move_tool_to(at, quat)
close_gripper()
move_to(solve_ik(off_table, quat))
move_to(solve_ik(up, quat))
move_to(solve_ik([gx, gy, CARRY_Z], quat))
# Held as far above its bottom as it was grasped (z above the table), 4 mm above the green top.
move_tool_to([gx, gy, green_top + z + 0.004], quat)
open_gripper()
# Straight up until the open jaws clear the stack's top (the red cube's bottom is at the green top),
# then aside, so that the camera sees the stack: swung aside lower, the jaws sweep the red cube off.
move_to(solve_ik([gx, gy, CLEAR_Z], quat))
move_to([1.2] + q_now[1:])
print('stacked')
