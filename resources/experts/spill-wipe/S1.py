# Human-expert reference program for spill-wipe at tier S1 (high-level API, ground-truth poses).
# Pick up the sponge, turn it so its long side is across the wiping direction, and push every
# spot of the stain away in two overlapping strokes along +x.
import math

spots = []
i = 0
while True:
    try:
        spots.append(get_object_pose(f'stain_{i}')[0])
    except LookupError:
        break
    i += 1
cx = sum(p[0] for p in spots) / len(spots)
cy = sum(p[1] for p in spots) / len(spots)
print(f'{len(spots)} spots around ({cx:.3f}, {cy:.3f})')

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
xs = [p[0] for p in spots]
ys = [p[1] for p in spots]
start_x = min(xs) - 0.06
end_x = max(xs) + 0.10
for y in (min(ys) + 0.03, max(ys) - 0.03, cy):
    move_to_pose([start_x, y, 0.08], wipe)
    move_to_pose([start_x, y, height], wipe)
    move_to_pose([end_x, y, height], wipe)
    move_to_pose([end_x, y, 0.08], wipe)
print('wiped')
