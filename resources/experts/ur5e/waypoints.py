# Human-expert program for a UR5e on the bench (no gripper configured): visit two work spots with
# the tool pointing down, approaching each from 10 cm above (UR base frame, metres).
DOWN = [0, 1, 0, 0]
SPOTS = [[-0.45, -0.20, 0.20], [-0.45, 0.20, 0.20]]

print('start at', get_ee_pose()[0])
for spot in SPOTS:
    goto_pose(spot, DOWN, z_approach_m=0.10)
    move_to_pose([spot[0], spot[1], spot[2] + 0.10], DOWN)
    print('visited', spot)
