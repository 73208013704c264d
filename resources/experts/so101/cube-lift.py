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
        q_now = move_to_joints([c + (g - c) * i / n for g, c in zip(q_goal, q)])


def move_tool_to(position, quat):
    """Move the tool point to `position`, then once more by what it fell short (a loaded joint droops:
    the arm's own joint readings, get_ee_pose(), say where the tool point is)."""
    move_to(solve_ik(position, quat))
    at, _ = get_ee_pose()
    dx, dy = position[0] - at[0], position[1] - at[1]
    if math.hypot(dx, dy) > 0.003:
        try:
            move_to(solve_ik([position[0] + dx, position[1] + dy, position[2]], quat))
        except Exception:  # the corrected pose is out of reach: stay where the first move went
            pass


def rotated_about_z(quat, angle):
    """The orientation turned by `angle` about the vertical (a cube looks the same every 90°)."""
    c, s = math.cos(angle / 2), math.sin(angle / 2)
    w, x, y, z = quat
    return [c * w - s * z, c * x - s * y, c * y + s * x, c * z + s * w]


def reachable_grasp(quat, positions):
    """The grasp orientation, or the same turned by a quarter or half turn, that the arm reaches at
    every position (a five-joint arm cannot turn its fingers to every yaw everywhere)."""
    for angle in (0, math.pi / 2, -math.pi / 2, math.pi):
        turned = rotated_about_z(quat, angle)
        try:
            for p in positions:
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
quat = reachable_grasp(quat, [[x, y, z + 0.025], [x, y, z], [x - 0.04, y, z + 0.02], [0.13, y, LIFT_Z]])

open_gripper()
move_to(solve_ik([x, y, z + 0.025], quat))  # low: out at 0.22 m, higher, the shoulder sags past its tolerance
move_tool_to([x, y, z], quat)
width = close_gripper()
print(f'gripper closed to {width * 1000:.0f} mm')
# Off the table towards the base, then up (out at 0.2 m the shoulder sags under the cube past its
# tolerance; and tipped, the cube is further out).
move_to(solve_ik([x - 0.04, y, z + 0.02], quat))
move_to(solve_ik([0.13, y, LIFT_Z], quat))
q = list(q_now)
q[3] -= 0.7  # wrist flex: the jaws tip forward, the cube comes out from under the gripper
move_to(q)
print('holding the cube up for the camera')
