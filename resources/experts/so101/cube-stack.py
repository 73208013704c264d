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
quat = reachable_grasp(quat, [[x, y, z + 0.025], [x, y, z], [x - 0.03, y, z + 0.02], [x, y, CARRY_Z], [gx, gy, CARRY_Z], [gx, gy, green_top + z + 0.004], [gx, gy, CLEAR_Z]])

open_gripper()
move_to(solve_ik([x, y, z + 0.025], quat))  # low: out at 0.22 m, higher, the shoulder sags past its tolerance
move_tool_to([x, y, z], quat)
close_gripper()
move_to(solve_ik([x - 0.03, y, z + 0.02], quat))
move_to(solve_ik([x, y, CARRY_Z], quat))
move_to(solve_ik([gx, gy, CARRY_Z], quat))
# Held as far above its bottom as it was grasped (z above the table), 4 mm above the green top.
move_tool_to([gx, gy, green_top + z + 0.004], quat)
open_gripper()
# Straight up until the open jaws clear the stack's top (the red cube's bottom is at the green top),
# then aside, so that the camera sees the stack: swung aside lower, the jaws sweep the red cube off.
move_to(solve_ik([gx, gy, CLEAR_Z], quat))
move_to([1.2] + q_now[1:])
print('stacked')
