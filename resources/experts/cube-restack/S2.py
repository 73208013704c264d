# Human-expert reference program for cube-restack at tier S2 (high-level API; poses come from the
# cameras). The green cube is hidden under the red one, so plan from the red cube: set it down
# beside the stack, then put the (now visible) green cube on it. The arm goes home before the second look: above the red
# cube the hand hides it from the overhead camera, and an orange block of nearly its colour would be taken for it.
CUBE_M = 0.05
home = get_observation()['q_rad']


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


top, _ = get_object_pose('cube_red')
side = -0.12 if top[1] > 0 else 0.12
spot = [top[0], top[1] + side, CUBE_M / 2 + 0.003]  # 3 mm above the table: the cube's size varies
_, quat = pick('cube_red')
place(spot, quat)
move_to_joints(home)  # out of the camera's view
red, _ = get_object_pose('cube_red')
print('red set down at', [round(v, 3) for v in red])
_, quat = pick('cube_green')
place([red[0], red[1], red[2] + CUBE_M + 0.003], quat)
print('restacked: green on red')
