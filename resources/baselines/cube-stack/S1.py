# Naive baseline for cube-stack at tiers S1 and S2 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (fingers at yaw 0, the red cube is put down as grasped, not turned to the
# green one), the grasp check, and a second look (the green cube's pose is read once, before the
# pick). Open loop: place straight at one cube height above the green cube's centre.
CUBE_M = 0.05
DOWN = [0.0, 1.0, 0.0, 0.0]

red, _ = get_object_pose('cube_red')
green, _ = get_object_pose('cube_green')
open_gripper()
goto_pose(red, DOWN, z_approach_m=0.1)
close_gripper()
move_to_pose([red[0], red[1], red[2] + 0.15], DOWN)
goto_pose([green[0], green[1], green[2] + CUBE_M], DOWN, z_approach_m=0.1)
open_gripper()
move_to_pose([green[0], green[1], green[2] + CUBE_M + 0.12], DOWN)
print('stacked (not checked)')
