# Human-expert reference program for cube-lift at tiers S1 and S2 (high-level API; at S2 the same calls answer from the cameras).
# Grasp the cube from above with the jaws across two opposite faces, then lift it 20 cm.
import math

LIFT_M = 0.20
APPROACH_M = 0.12


def fingers_down(yaw_rad):
    """Gripper quaternion [w, x, y, z]: fingers pointing down, turned by yaw about world z."""
    return [0.0, math.cos(yaw_rad / 2), math.sin(yaw_rad / 2), 0.0]


def grasp_yaw(quat_wxyz):
    """Yaw of the cube about world z, folded into [-45°, 45°] (a cube looks the same every 90°)."""
    w, x, y, z = quat_wxyz
    yaw = math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
    while yaw > math.pi / 4:
        yaw -= math.pi / 2
    while yaw < -math.pi / 4:
        yaw += math.pi / 2
    return yaw


position, orientation = get_object_pose('cube')
x, y, z = position
grip = fingers_down(grasp_yaw(orientation))
print(f'cube at ({x:.3f}, {y:.3f}, {z:.3f}) m')

open_gripper()
move_to_pose([x, y, z + APPROACH_M], grip)
move_to_pose([x, y, z], grip)
width = close_gripper()
if width < 0.005:
    raise RuntimeError('the gripper closed on nothing')
print(f'grasped, fingers {width * 1000:.1f} mm apart')
move_to_pose([x, y, z + LIFT_M], grip)
print('lifted')
