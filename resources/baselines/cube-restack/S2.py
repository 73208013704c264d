# Naive baseline for cube-restack at tier S2 (high-level API; poses from the cameras): what a first
# attempt without care does.
# Omits: yaw alignment (fingers at yaw 0), the grasp checks, and a second look: the cameras see
# only the red cube on top, so the green one is assumed right under it, and it is put where the
# red cube was meant to land, not where it did.
CUBE_M = 0.05
DOWN = [0.0, 1.0, 0.0, 0.0]

red, _ = get_object_pose('cube_red')
green = [red[0], red[1], CUBE_M / 2]
side = -0.12 if red[1] > 0 else 0.12
spot = [red[0], red[1] + side, CUBE_M / 2]


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
