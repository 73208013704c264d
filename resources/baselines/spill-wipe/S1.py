# Naive baseline for spill-wipe at tier S1 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (the sponge is wiped as it was grasped, instead of turned long side across
# the stroke), the grasp check (it wipes whether or not it holds the sponge), pressing (it skims
# the table at the sponge's own height) and any second look: one stroke through the middle of the
# stain, open loop, though the stain is wider than the sponge is long.
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
y = sum(p[1] for p in spots) / len(spots)
start_x = min(xs) - 0.06
end_x = max(xs) + 0.10
move_to_pose([start_x, y, 0.08], quat)
move_to_pose([start_x, y, height], quat)
move_to_pose([end_x, y, height], quat)
move_to_pose([end_x, y, 0.08], quat)
print('wiped (not checked)')
