# Human-expert reference program for cube-restack at tier S1 (high-level API, ground-truth poses).
# The red cube lies on the green one: set the red cube down beside the stack, then put the green
# cube on top of it.
CUBE_M = 0.05


def pick(name):
    position, quat = sample_grasp_pose(name)
    open_gripper()
    goto_pose(position, quat, z_approach_m=0.12)
    if close_gripper() < 0.01:
        raise RuntimeError(f'missed {name}')
    move_to_pose([position[0], position[1], position[2] + 0.15], quat)
    return position, quat


def place(position, quat):
    goto_pose(position, quat, z_approach_m=0.1)
    open_gripper()
    move_to_pose([position[0], position[1], position[2] + 0.12], quat)


green, _ = get_object_pose('cube_green')
# A free spot beside the stack, on the side nearer the middle of the table.
side = -0.12 if green[1] > 0 else 0.12
spot = [green[0], green[1] + side, CUBE_M / 2]
_, quat = pick('cube_red')
place(spot, quat)
red, _ = get_object_pose('cube_red')
print('red set down at', [round(v, 3) for v in red])
_, quat = pick('cube_green')
place([red[0], red[1], red[2] + CUBE_M + 0.003], quat)
print('restacked: green on red')
