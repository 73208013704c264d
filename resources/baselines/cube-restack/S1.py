# Naive baseline for cube-restack at tier S1 (high-level API): what a first attempt without care does.
# Omits: yaw alignment (fingers at yaw 0), the grasp checks, and the second look: both cubes are
# read once at the start, and the green cube is put where the red one was meant to land, not where
# it did land.
CUBE_M = 0.05
DOWN = [0.0, 1.0, 0.0, 0.0]

red, _ = get_object_pose('cube_red')
green, _ = get_object_pose('cube_green')
side = -0.12 if green[1] > 0 else 0.12
spot = [green[0], green[1] + side, CUBE_M / 2]


def carry(source, target):
    open_gripper()
    goto_pose(source, DOWN, z_approach_m=0.1)
    close_gripper()
    move_to_pose([source[0], source[1], source[2] + 0.15], DOWN)
    goto_pose(target, DOWN, z_approach_m=0.1)
    open_gripper()
    move_to_pose([target[0], target[1], target[2] + 0.12], DOWN)


carry(red, spot)
carry(green, [spot[0], spot[1], spot[2] + CUBE_M])
print('restacked (not checked)')
