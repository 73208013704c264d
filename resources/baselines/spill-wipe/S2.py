# Naive baseline for spill-wipe at tier S2 (high-level API; poses from the cameras): what a first
# attempt without care does.
# Omits: yaw alignment (the sponge is wiped as it was grasped, not turned long side across the
# stroke), the grasp check, pressing (it skims the table at the sponge's own height) and any second
# look: one stroke through the largest mark the cameras report, open loop.
spot, _ = get_object_pose('stain')
sx, sy = spot[0], spot[1]
grasp, quat = sample_grasp_pose('sponge')
open_gripper()
goto_pose(grasp, quat, z_approach_m=0.1)
close_gripper()
height = grasp[2] + 0.004
move_to_pose([grasp[0], grasp[1], 0.12], quat)
start_x = sx - 0.11
end_x = min(sx + 0.12, 0.72)
move_to_pose([start_x, sy, 0.08], quat)
move_to_pose([start_x, sy, height], quat)
move_to_pose([end_x, sy, height], quat)
move_to_pose([end_x, sy, 0.08], quat)
print('wiped (not checked)')
