# Human-expert program for an SO-101 on its bench, tier S3 (reduced API; a calibrated overhead
# camera): lift the red cube. The cube is found in the camera's image by its colour, grasped
# fingers down from the depth the camera's calibration gives, and lifted. Then it is shown to the
# camera: fingers down, the gripper hides what it holds from above, so the wrist tips the jaws
# forward and the program ends holding the cube up there (the outcome is judged from the camera
# after the program, with the arm holding still). API frame: x forward from the base, z up, m.
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


# The arm starts swung aside, out of the camera's view of the table (it must be, for the dry run
# sees the real scene too).
obs = get_observation()
q_now = obs['q_rad']
mask = segment(obs['rgb'], 'red cube')
print('cube covers', mask.count_nonzero(), 'pixels')
grasp, quat = plan_grasp(obs['depth'], obs['intrinsics'], mask)
x, y, z = grasp
print(f'grasp at [{x:.3f}, {y:.3f}, {z:.3f}]')
LIFT_Z = 0.06  # tipping the wrist raises the cube further; out at 0.25 m the shoulder sags past its tolerance
GRASP_SHIFT_M = 0.005


def lift_path(quat):
    """Above the grasp, the grasp, off the table towards the base, up."""
    gx, gy, gz = grasp_point(quat)
    return [[gx, gy, gz + 0.025], [gx, gy, gz], [gx - 0.04, gy, gz + 0.02], [0.13, gy, LIFT_Z]]


quat = reachable_grasp(quat, lift_path)
above, at, off_table, up = lift_path(quat)

open_gripper()
move_to(solve_ik(above, quat))  # low: out at 0.22 m, higher, the shoulder sags past its tolerance
move_tool_to(at, quat)
width = close_gripper()
print(f'gripper closed to {width * 1000:.0f} mm')
# Off the table towards the base, then up (out at 0.2 m the shoulder sags under the cube past its
# tolerance; and tipped, the cube is further out).
move_to(solve_ik(off_table, quat))
move_to(solve_ik(up, quat))
q = list(q_now)
q[3] -= 0.7  # wrist flex: the jaws tip forward, the cube comes out from under the gripper
move_to(q)
print('holding the cube up for the camera')
