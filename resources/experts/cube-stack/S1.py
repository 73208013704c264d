# Human-expert reference program for cube-stack at tiers S1 and S2 (high-level API; at S2 the same calls answer from the cameras).
# Pick the red cube from above, put it on the green cube, let go, and move away.
CUBE_M = 0.05

grasp_position, grasp_quat = sample_grasp_pose('cube_red')
target, _ = get_object_pose('cube_green')
print('red grasp at', [round(v, 3) for v in grasp_position], '; green at', [round(v, 3) for v in target])

open_gripper()
goto_pose(grasp_position, grasp_quat, z_approach_m=0.12)
if close_gripper() < 0.01:
    raise RuntimeError('missed the red cube')
x, y, z = grasp_position
move_to_pose([x, y, z + 0.15], grasp_quat)
place = [target[0], target[1], target[2] + CUBE_M + 0.003]
goto_pose(place, grasp_quat, z_approach_m=0.1)
open_gripper()
move_to_pose([place[0], place[1], place[2] + 0.12], grasp_quat)
print('stacked')
