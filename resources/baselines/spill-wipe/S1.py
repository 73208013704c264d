# Naive baseline for spill-wipe at tier S1 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (the sponge is wiped as it was grasped, its narrow side leading, instead of
# turned long side across the stroke), the grasp check (it wipes whether or not it holds the
# sponge), and any second look. The same three strokes as the expert's, open loop.
spots = []
i = 0
while True:
    try:
        spots.append(get_object_pose(f'stain_{i}')[0])
    except LookupError:
        break
    i += 1
grasp, quat = sample_grasp_pose('sponge')
open_gripper()
goto_pose(grasp, quat, z_approach_m=0.1)
close_gripper()
height = grasp[2] + 0.004
move_to_pose([grasp[0], grasp[1], 0.12], quat)
xs = [p[0] for p in spots]
ys = [p[1] for p in spots]
start_x = min(xs) - 0.06
end_x = max(xs) + 0.10
for y in (min(ys) + 0.03, max(ys) - 0.03, sum(ys) / len(ys)):
    move_to_pose([start_x, y, 0.08], quat)
    move_to_pose([start_x, y, height], quat)
    move_to_pose([end_x, y, height], quat)
    move_to_pose([end_x, y, 0.08], quat)
print('wiped (not checked)')
