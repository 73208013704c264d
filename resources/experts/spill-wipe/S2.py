# Human-expert reference program for spill-wipe at tier S2 (high-level API; poses come from the
# cameras). The cameras give the largest spot of the stain; the stain is a few centimetres
# across, so wipe a generous area around that spot with the sponge held long side across.
import math

spot, _ = get_object_pose('stain')
sx, sy = spot[0], spot[1]
print(f'largest spot at ({sx:.3f}, {sy:.3f})')

grasp, quat = sample_grasp_pose('sponge')
open_gripper()
goto_pose(grasp, quat, z_approach_m=0.1)
if close_gripper() < 0.02:
    raise RuntimeError('missed the sponge')
height = grasp[2] + 0.004  # the sponge skims the table: it pushes the spots, not the table
move_to_pose([grasp[0], grasp[1], 0.12], quat)
# Turn the sponge's long side (the gripper's x axis) to world y, by the smaller turn.
grasp_yaw = 2 * math.atan2(quat[2], quat[1])
turn = min((math.pi / 2, -math.pi / 2), key=lambda yaw: abs(math.remainder(grasp_yaw - yaw, 2 * math.pi)))
wipe = [0.0, math.cos(turn / 2), math.sin(turn / 2), 0.0]
start_x = sx - 0.11
end_x = min(sx + 0.12, 0.72)
for y in (sy - 0.07, sy + 0.07, sy):
    move_to_pose([start_x, y, 0.08], wipe)
    move_to_pose([start_x, y, height], wipe)
    move_to_pose([end_x, y, height], wipe)
    move_to_pose([end_x, y, 0.08], wipe)
print('wiped')
